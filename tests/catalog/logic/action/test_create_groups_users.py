"""group_create, group_create_rest and user_create (catalog/logic/action/create.py), over HTTP."""
import pytest

from catalog.logic.registry import get_action
from catalog.models import Group, Revision, RoleAssignment
from tests.catalog.logic.action.groups_users_support import error, group, result, rest_context, unique
from tests.catalog.logic.factories import call, dataset

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- user_create

def test_sysadmin_creates_a_user_who_can_log_in(client, sysadmin):
    from accounts.models import User

    data = {"name": unique("user"), "email": "u@example.com", "password": "secret-pw", "about": "Hi", "fullname": "U"}
    created = result(client, "user_create", data, sysadmin)
    assert (created["name"], created["about"], created["fullname"]) == (data["name"], "Hi", "U")
    assert "password" not in created
    user = User.objects.get(name=data["name"])
    assert user.check_password("secret-pw")
    assert created["apikey"] == user.apikey  # the caller is a sysadmin


def test_a_logged_in_user_may_create_users_but_does_not_see_their_key(client, make_user):
    created = result(client, "user_create", {"name": unique("u"), "email": "e@x.org", "password": "abcd"}, make_user())
    assert "apikey" not in created and "reset_key" not in created and "email" not in created


def test_anonymous_user_create_is_refused(client):
    error(client, "user_create", {"name": unique("u"), "email": "e@x.org", "password": "abcd"},
          error_type="Authorization Error")


def test_missing_fields_are_each_named(client, sysadmin):
    err = error(client, "user_create", {}, sysadmin, "Validation Error")
    assert {"name", "email", "password"} <= set(err)


@pytest.mark.parametrize("field, value", [
    ("password", "abc"),
    ("name", "Not Valid!"),
    ("name", "x"),
    ("name", "visitor"),
    ("email", "not an email"),
    ("about", "Visit http://spam.example.com"),
])
def test_invalid_values_are_validation_errors(client, sysadmin, field, value):
    data = {"name": unique("user"), "email": "e@example.com", "password": "secret-pw", field: value}
    err = error(client, "user_create", data, sysadmin, "Validation Error")
    assert isinstance(err[field], list) and err[field]


def test_a_taken_name_is_a_validation_error(client, sysadmin, make_user):
    taken = make_user()
    err = error(client, "user_create", {"name": taken.name, "email": "e@x.org", "password": "abcd"},
                sysadmin, "Validation Error")
    assert err["name"]


def test_user_create_cannot_choose_keys(client, sysadmin):
    from accounts.models import User

    data = {"name": unique("user"), "email": "e@x.org", "password": "abcd", "apikey": "chosen", "reset_key": "k",
            "sysadmin": True}
    result(client, "user_create", data, sysadmin)
    user = User.objects.get(name=data["name"])
    assert (user.apikey != "chosen", user.reset_key, user.sysadmin) == (True, "", False)


# ---------------------------------------------------------------- group_create

def test_group_create_makes_the_creator_admin_and_records_a_revision(client, make_user):
    alice = make_user()
    created = result(client, "group_create", {"name": unique("grp"), "title": "G", "description": "D"}, alice)
    assert (created["title"], created["description"], created["state"]) == ("G", "D", "active")
    group = Group.objects.get(pk=created["id"])
    assert RoleAssignment.objects.filter(group=group, user=alice, role="admin").exists()
    revision = Revision.objects.get(pk=created["revision_id"])
    assert revision.author == alice.name
    assert list(revision.groups.all()) == [group]


def test_group_create_with_datasets_by_id_and_name_and_extras(client, make_user):
    alice = make_user()
    first, second = dataset(alice), dataset(alice)
    data = {"name": unique("grp"), "packages": [{"id": first["id"]}, {"name": second["name"]}],
            "extras": [{"key": "colour", "value": "blue"}]}
    created = result(client, "group_create", data, alice)
    assert sorted(p["name"] for p in created["packages"]) == sorted([first["name"], second["name"]])
    assert [(e["key"], e["value"]) for e in created["extras"]] == [("colour", "blue")]
    shown = result(client, "package_show", {"id": first["id"]})
    assert [g["name"] for g in shown["groups"]] == [data["name"]]
    # The membership change is part of the dataset's history.
    revisions = result(client, "package_revision_list", {"id": first["id"]})
    assert revisions[0]["id"] == created["revision_id"]


def test_group_create_accepts_the_specs_datasets_key(client, make_user):
    alice = make_user()
    ds = dataset(alice)
    created = result(client, "group_create", {"name": unique("grp"), "datasets": [ds["name"]]}, alice)
    assert [p["id"] for p in created["packages"]] == [ds["id"]]


def test_group_create_with_an_unknown_dataset_writes_nothing(client, make_user):
    revisions_before = Revision.objects.count()
    name = unique("grp")
    err = error(client, "group_create", {"name": name, "packages": [{"id": "no-such-dataset"}]}, make_user(),
                "Validation Error")
    assert err["packages"]
    assert not Group.objects.filter(name=name).exists()
    assert Revision.objects.count() == revisions_before


def test_group_create_taken_or_invalid_name_or_chosen_id(client, make_user):
    alice = make_user()
    taken = group(alice)
    assert error(client, "group_create", {"name": taken["name"]}, alice, "Validation Error")["name"]
    assert error(client, "group_create", {"name": "Bad Name"}, alice, "Validation Error")["name"]
    assert error(client, "group_create", {}, alice, "Validation Error")["name"]
    assert error(client, "group_create", {"name": unique("g"), "id": "chosen"}, alice, "Validation Error")["id"]


def test_anonymous_group_create_is_refused(client):
    error(client, "group_create", {"name": unique("grp")}, error_type="Authorization Error")


def test_log_message_becomes_the_revision_message(client, make_user):
    created = result(client, "group_create", {"name": unique("grp"), "log_message": "Made it"}, make_user())
    assert Revision.objects.get(pk=created["revision_id"]).message == "Made it"


@pytest.mark.parametrize("api_version, attr", [(1, "name"), (2, "id"), (3, "name")])
def test_group_create_rest_speaks_v1_names_and_v2_ids(make_user, api_version, attr):
    alice = make_user()
    ds = dataset(alice)
    data = {"name": unique("grp"), "packages": [ds["name"]], "extras": {"k": "v"}}
    created = get_action("group_create_rest")(rest_context(alice, api_version), data)
    assert created["packages"] == created["datasets"] == [ds[attr]]
    assert created["extras"] == {"k": "v"}


def test_group_create_rest_needs_a_logged_in_user(client):
    error(client, "group_create_rest", {"name": unique("grp")}, error_type="Authorization Error")


def test_group_factory_goes_through_the_action(make_user):
    alice = make_user()
    created = group(alice, title="T")
    assert call("group_show", None, {"id": created["name"]})["title"] == "T"
