"""Unit tests of catalog.logic.roles: lookups, role replacement, and the editable-groups query."""
import pytest
from django.contrib.auth.models import AnonymousUser

from catalog import authz
from catalog.logic.errors import NotFound
from catalog.logic.roles import editable_groups, find_domain_object, find_user_holder, set_roles
from catalog.models import AuthorizationGroup, Group, RoleAssignment
from tests.catalog.logic.action.groups_users_support import group
from tests.catalog.logic.factories import dataset

pytestmark = pytest.mark.django_db


def test_find_domain_object_prefers_datasets_then_groups(make_user):
    alice = make_user()
    ds, grp = dataset(alice), group(alice)
    assert find_domain_object(ds["name"]).id == ds["id"]
    assert find_domain_object(grp["id"]).id == grp["id"]
    for ref in ("nothing", "", None, 5):
        with pytest.raises(NotFound):
            find_domain_object(ref)


def test_pseudo_users_are_holders_by_name(make_user):
    assert find_user_holder("visitor").filter() == {"pseudo_user": "visitor"}
    alice = make_user()
    assert find_user_holder(str(alice.pk)).obj == alice


def test_set_roles_adds_and_removes_only_that_holders_roles(make_user):
    alice, bob = make_user(), make_user()
    grp = Group.objects.get(pk=group(alice)["id"])
    set_roles(grp, find_user_holder(bob.name), {"editor", "reader"})
    set_roles(grp, find_user_holder(bob.name), {"reader"})
    assert sorted(RoleAssignment.objects.filter(group=grp).values_list("role", flat=True)) == [
        "admin", "reader", "reader", "reader"]  # alice admin, visitor+logged_in readers, bob reader


def test_editable_groups_agrees_with_authz_check(make_user, sysadmin):
    alice, bob, carol = make_user(), make_user(), make_user()
    mine = Group.objects.get(pk=group(alice)["id"])
    granted = Group.objects.get(pk=group(alice)["id"])
    via_team = Group.objects.get(pk=group(alice)["id"])
    team = AuthorizationGroup.objects.create(name="team")
    team.users.add(carol)
    set_roles(granted, find_user_holder(bob.name), {"editor"})
    RoleAssignment.objects.create(group=via_team, authorization_group=team, role="editor")
    groups = [mine, granted, via_team]
    for user in (alice, bob, carol, sysadmin, AnonymousUser()):
        listed = set(editable_groups(user).filter(pk__in=[g.pk for g in groups]))
        assert listed == {g for g in groups if authz.check(user, authz.EDIT, g)}, user
