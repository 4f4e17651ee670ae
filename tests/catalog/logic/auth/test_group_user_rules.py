"""The auth functions of groups, users and roles (catalog/logic/auth/*.py), called directly."""
import pytest
from django.contrib.auth.models import AnonymousUser

from catalog.logic import get_auth_function, new_context
from catalog.logic.errors import NotFound
from tests.catalog.logic.action.groups_users_support import group
from tests.catalog.logic.factories import dataset

pytestmark = pytest.mark.django_db


def allowed(name, user, data):
    return get_auth_function(name)(new_context(user=user), data)["success"]


def test_public_reads(make_user):
    for name in ("group_list", "group_list_authz", "tag_list", "tag_show", "user_list", "user_show",
                 "licence_list", "roles_show", "status_show", "user_autocomplete", "tag_autocomplete"):
        assert allowed(name, AnonymousUser(), {}), name


def test_group_rules(make_user, sysadmin):
    alice, bob = make_user(), make_user()
    grp = group(alice)
    for name in ("group_update", "group_delete", "group_update_rest"):
        assert allowed(name, alice, {"id": grp["id"]}) and allowed(name, sysadmin, {"id": grp["id"]})
        assert not allowed(name, bob, {"id": grp["id"]}) and not allowed(name, AnonymousUser(), {"id": grp["id"]})
    assert allowed("group_show", AnonymousUser(), {"id": grp["name"]})
    assert allowed("group_create", bob, {}) and not allowed("group_create", AnonymousUser(), {})
    assert not allowed("group_create_rest", AnonymousUser(), {})
    with pytest.raises(NotFound):
        allowed("group_update", alice, {"id": "missing"})


def test_user_rules(make_user, sysadmin):
    alice, bob = make_user(), make_user()
    assert allowed("user_create", bob, {}) and not allowed("user_create", AnonymousUser(), {})
    assert allowed("user_update", alice, {"id": alice.name}) and allowed("user_update", sysadmin, {"id": alice.name})
    assert not allowed("user_update", bob, {"id": alice.name})
    alice.reset_key = "rk"
    alice.save()
    assert allowed("user_update", AnonymousUser(), {"id": alice.name, "reset_key": "rk"})
    assert not allowed("user_update", AnonymousUser(), {"id": alice.name, "reset_key": "other"})


def test_role_rules(make_user, sysadmin):
    alice, bob = make_user(), make_user()
    ds = dataset(alice)
    for name in ("user_role_update", "user_role_bulk_update"):
        assert allowed(name, alice, {"domain_object": ds["name"]})
        assert allowed(name, sysadmin, {"domain_object": ds["name"]})
        assert not allowed(name, bob, {"domain_object": ds["name"]})
