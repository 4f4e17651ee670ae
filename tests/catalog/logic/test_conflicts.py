"""A name taken between the check and the write is a validation error, and leaves nothing behind."""
import pytest

from catalog.logic import group_schemas
from catalog.models import Group, Revision
from tests.catalog.logic.action.groups_users_support import error, group, unique

pytestmark = pytest.mark.django_db


def test_group_create_losing_the_race_for_a_name(client, make_user, monkeypatch):
    alice = make_user()
    taken = group(alice)
    checked_free = group_schemas.validate_group
    monkeypatch.setattr(
        "catalog.logic.action.create.validate_group", lambda data: dict(checked_free({"name": unique("g")}),
                                                                           name=taken["name"])
    )
    revisions = Revision.objects.count()
    err = error(client, "group_create", {"name": taken["name"]}, alice, "Validation Error")
    assert err["name"] == [group_schemas.NAME_TAKEN]
    assert (Revision.objects.count(), Group.objects.filter(name=taken["name"]).count()) == (revisions, 1)


def test_user_create_losing_the_race_for_a_name(client, sysadmin, make_user, monkeypatch):
    taken = make_user()
    monkeypatch.setattr(
        "catalog.logic.action.create.validate_user",
        lambda data, **options: {"name": taken.name, "email": "e@x.org", "password": "abcd"},
    )
    err = error(client, "user_create", {"name": "whatever"}, sysadmin, "Validation Error")
    assert err["name"]
