"""Unit tests of catalog.logic.group_schemas.validate_group."""
import pytest

from catalog.logic.errors import ValidationError
from catalog.logic.group_schemas import validate_group
from tests.catalog.logic.factories import dataset

pytestmark = pytest.mark.django_db


def errors_of(data, **kwargs):
    with pytest.raises(ValidationError) as raised:
        validate_group(data, **kwargs)
    return raised.value.error_dict


def test_only_sent_keys_come_back_and_read_only_keys_are_ignored():
    cleaned = validate_group({"name": "a-group", "title": None, "revision_id": "x", "display_name": "y",
                              "users": [], "created": "2020"})
    assert cleaned == {"name": "a-group", "title": ""}


def test_extras_as_list_or_object_with_deletions_and_json_values():
    cleaned = validate_group({"name": "gx", "extras": [{"key": "a", "value": 1}, {"key": "b", "deleted": True}]})
    assert cleaned["extras"] == {"a": "1", "b": None}
    assert validate_group({"name": "gy", "extras": {"k": "v"}})["extras"] == {"k": "v"}
    assert "extras" in errors_of({"name": "gz", "extras": "k=v"})
    assert "extras" in errors_of({"name": "gz", "extras": [{"value": "no key"}]})


def test_datasets_by_any_reference_in_order_without_duplicates(make_user):
    alice = make_user()
    first, second = dataset(alice), dataset(alice)
    refs = [first["name"], {"id": second["id"]}, {"name": first["name"]}]
    assert [p.id for p in validate_group({"name": "gd", "packages": refs})["packages"]] == [first["id"], second["id"]]
    assert [p.id for p in validate_group({"name": "gd", "datasets": [second["id"]]})["packages"]] == [second["id"]]
    assert "packages" in errors_of({"name": "gd", "packages": ["missing-one"]})
    assert "packages" in errors_of({"name": "gd", "packages": "not-a-list"})
    assert "datasets" in errors_of({"name": "gd", "datasets": [42]})


def test_every_failing_field_is_named_at_once():
    assert set(errors_of({"name": "X", "title": {"a": 1}, "state": "gone"})) == {"name", "title", "state"}


def test_a_body_that_is_not_an_object():
    assert errors_of(["name"]) == {"message": ["A group must be a JSON object"]}


def test_odd_values_are_named_errors():
    assert set(errors_of({"name": "gs", "state": ["active"], "type": "t" * 101})) == {"state", "type"}
