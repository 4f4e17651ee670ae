"""The one table from action errors to status codes (actionapi/errors.py)."""
import pytest

from actionapi.errors import is_shape_error, status_for
from catalog.logic import errors


@pytest.mark.parametrize(
    "error, status",
    [
        (errors.NotAuthorized("x"), 403),
        (errors.NotFound("x"), 404),
        (errors.ValidationError({"name": ["taken"]}), 409),
        (errors.ParameterError("x"), 400),
        (errors.ValidationError({"resources": [{"__type": ["Each resource must be an object"]}]}), 400),
        (errors.ValidationError({"resources": [{}, {"__type": ["not an object"]}]}), 400),
        (errors.ValidationError({"resources": [{"url": ["Missing"]}, {"__type": ["x"]}]}), 409),
        (errors.ValidationError({"__type": ["x"], "name": ["y"]}), 409),
    ],
)
def test_status_for(error, status):
    assert status_for(error) == status


def test_only_validation_errors_can_be_shape_errors():
    assert not is_shape_error(errors.NotFound("__type"))
    assert not is_shape_error(errors.ValidationError({}))
