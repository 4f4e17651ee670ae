"""Unit tests of catalog.logic.params: numbers and flags as JSON or query strings."""
import pytest

from catalog.logic.errors import ValidationError
from catalog.logic.params import bool_param, int_param, str_param


@pytest.mark.parametrize("value, expected", [(None, 7), ("", 7), (3, 3), ("3", 3), (3.0, 3)])
def test_int_param_accepts_numbers_and_numeric_strings(value, expected):
    assert int_param({"n": value}, "n", 7) == expected


@pytest.mark.parametrize("value", ["x", True, 2.5, -1, [1], {}])
def test_int_param_refuses_the_rest_naming_the_key(value):
    with pytest.raises(ValidationError) as raised:
        int_param({"n": value}, "n")
    assert list(raised.value.error_dict) == ["n"]


@pytest.mark.parametrize("value, expected", [
    (True, True), (False, False), (1, True), (0, False), ("true", True), ("False", False), ("1", True), ("", False),
])
def test_bool_param(value, expected):
    assert bool_param({"f": value}, "f") is expected


@pytest.mark.parametrize("value", ["maybe", 2, [True]])
def test_bool_param_refuses_non_flags(value):
    with pytest.raises(ValidationError):
        bool_param({"f": value}, "f")


def test_str_param():
    assert (str_param({}, "q"), str_param({"q": 5}, "q"), str_param({"q": "a"}, "q")) == ("", "5", "a")
    with pytest.raises(ValidationError):
        str_param({"q": {"a": 1}}, "q")
