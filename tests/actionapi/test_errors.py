"""The one table from action errors to status codes (actionapi/errors.py)."""
import pytest

from actionapi.errors import status_for
from catalog.logic import errors


@pytest.mark.parametrize(
    "error, status",
    [
        (errors.NotAuthorized("x"), 403),
        (errors.NotFound("x"), 404),
        (errors.ValidationError({"name": ["taken"]}), 409),
        (errors.ParameterError("x"), 400),
        (errors.SearchQueryError("x"), 400),
        (errors.JSONError("x"), 400),
    ],
)
def test_status_for(error, status):
    assert status_for(error) == status
