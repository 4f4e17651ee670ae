"""Unit tests of catalog.logic.user_schemas.validate_user."""
import pytest

from catalog.logic.errors import ValidationError
from catalog.logic.user_schemas import validate_user

pytestmark = pytest.mark.django_db


def test_create_needs_name_email_password_and_ignores_the_rest():
    cleaned = validate_user({"name": "ann", "email": " ann@x.org ", "password": "abcd", "apikey": "k", "id": "i",
                             "fullname": None, "number_of_edits": 3})
    assert cleaned == {"name": "ann", "email": "ann@x.org", "password": "abcd", "fullname": ""}


def test_update_needs_only_email_and_excludes_the_user_from_the_name_check(make_user):
    ann = make_user("ann-update")
    assert validate_user({"email": "a@x.org", "name": "ann-update"}, user=ann) == {
        "email": "a@x.org", "name": "ann-update"}
    with pytest.raises(ValidationError) as raised:
        validate_user({"name": "ann-update"}, user=ann)
    assert list(raised.value.error_dict) == ["email"]


@pytest.mark.parametrize("name", ["visitor", "logged_in"])
def test_pseudo_user_names_are_reserved(name):
    with pytest.raises(ValidationError) as raised:
        validate_user({"name": name, "email": "e@x.org", "password": "abcd"})
    assert "name" in raised.value.error_dict
