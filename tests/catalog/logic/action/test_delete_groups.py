"""group_delete (catalog/logic/action/delete.py), over HTTP."""
import pytest

from catalog.models import Group, Revision
from tests.catalog.logic.action.groups_users_support import error, group, result
from tests.catalog.logic.factories import call, dataset

pytestmark = pytest.mark.django_db


def test_admin_deletes_a_group_which_leaves_lists_and_its_datasets(client, make_user):
    alice = make_user()
    ds = dataset(alice)
    created = group(alice, packages=[{"id": ds["id"]}])
    assert result(client, "group_delete", {"id": created["name"]}, alice) is None
    assert Group.objects.get(pk=created["id"]).state == "deleted"
    assert created["name"] not in result(client, "group_list")
    assert result(client, "package_show", {"id": ds["id"]})["groups"] == []
    revision = Revision.objects.filter(groups__id=created["id"]).order_by("-timestamp").first()
    assert (revision.author, list(revision.packages.values_list("id", flat=True))) == (alice.name, [ds["id"]])


def test_only_admins_and_sysadmins_delete_groups(client, make_user, sysadmin):
    alice, bob = make_user(), make_user()
    created = group(alice)
    call("user_role_update", alice, {"user": bob.name, "domain_object": created["id"], "roles": ["editor"]})
    error(client, "group_delete", {"id": created["id"]}, bob, "Authorization Error")
    error(client, "group_delete", {"id": created["id"]}, None, "Authorization Error")
    result(client, "group_delete", {"id": created["id"]}, sysadmin)


def test_group_delete_unknown_is_not_found(client, sysadmin):
    error(client, "group_delete", {"id": "no-such-group"}, sysadmin, "Not Found Error")
