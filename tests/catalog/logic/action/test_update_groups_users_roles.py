"""group_update(_rest), user_update and the role updates of catalog/logic/action/update.py, over HTTP."""
import pytest

from catalog.logic.registry import get_action
from catalog.models import Revision
from tests.catalog.logic.action.groups_users_support import error, group, result, rest_context, unique, user
from tests.catalog.logic.factories import call, dataset

pytestmark = pytest.mark.django_db


def grant(owner, holder, domain_object, *roles):
    return call("user_role_update", owner, {"user": holder.name, "domain_object": domain_object, "roles": list(roles)})


# ---------------------------------------------------------------- group_update

def test_group_update_changes_fields_and_replaces_datasets_and_extras(client, make_user):
    alice = make_user()
    first, second = dataset(alice), dataset(alice)
    created = group(alice, packages=[{"id": first["id"]}], extras=[{"key": "old", "value": "x"}])
    data = {"id": created["id"], "title": "New title", "packages": [{"name": second["name"]}],
            "extras": [{"key": "new", "value": "y"}]}
    updated = result(client, "group_update", data, alice)
    assert (updated["title"], updated["name"], updated["description"]) == ("New title", created["name"], "")
    assert [p["name"] for p in updated["packages"]] == [second["name"]]
    assert [(e["key"], e["value"]) for e in updated["extras"]] == [("new", "y")]
    assert result(client, "package_show", {"id": first["id"]})["groups"] == []
    # Both datasets changed membership: both carry the revision.
    for ds in (first, second):
        assert result(client, "package_revision_list", {"id": ds["id"]})[0]["id"] == updated["revision_id"]


def test_group_update_without_datasets_removes_them_as_in_ckan_1_6(client, make_user):
    alice = make_user()
    ds = dataset(alice)
    created = group(alice, packages=[{"id": ds["id"]}])
    assert result(client, "group_update", {"id": created["id"], "title": "T"}, alice)["packages"] == []


def test_group_update_can_rename_and_refuses_a_taken_name(client, make_user):
    alice = make_user()
    ds = dataset(alice)
    created, other = group(alice, packages=[{"id": ds["id"]}]), group(alice)
    new_name = unique("renamed")
    renamed = result(client, "group_update", {"id": created["id"], "name": new_name, "packages": [ds["name"]]}, alice)
    assert renamed["name"] == new_name
    assert [g["name"] for g in result(client, "package_show", {"id": ds["id"]})["groups"]] == [new_name]
    err = error(client, "group_update", {"id": created["id"], "name": other["name"]}, alice, "Validation Error")
    assert err["name"]


def test_group_update_needs_edit_rights_on_the_group(client, make_user, sysadmin):
    alice, bob = make_user(), make_user()
    created = group(alice)
    error(client, "group_update", {"id": created["id"], "title": "Taken over"}, bob, "Authorization Error")
    error(client, "group_update", {"id": created["id"], "title": "Anon"}, None, "Authorization Error")
    grant(alice, bob, created["name"], "editor")
    assert result(client, "group_update", {"id": created["id"], "title": "Editor"}, bob)["title"] == "Editor"
    assert result(client, "group_update", {"id": created["id"], "title": "Sys"}, sysadmin)["title"] == "Sys"


def test_only_group_admins_may_set_the_state(client, make_user):
    alice, bob = make_user(), make_user()
    created = group(alice)
    grant(alice, bob, created["name"], "editor")
    assert result(client, "group_update", {"id": created["id"], "state": "deleted"}, bob)["state"] == "active"
    assert result(client, "group_update", {"id": created["id"], "state": "deleted"}, alice)["state"] == "deleted"
    assert error(client, "group_update", {"id": created["id"], "state": "gone"}, alice, "Validation Error")["state"]


def test_group_update_unknown_is_not_found(client, sysadmin):
    error(client, "group_update", {"id": "no-such-group"}, sysadmin, "Not Found Error")
    assert error(client, "group_update", {}, sysadmin, "Validation Error")["id"]


def test_a_failed_group_update_leaves_no_revision(client, make_user):
    alice = make_user()
    created = group(alice)
    before = Revision.objects.count()
    error(client, "group_update", {"id": created["id"], "packages": [{"id": "missing"}]}, alice, "Validation Error")
    assert Revision.objects.count() == before


# ---------------------------------------------------------------- group_update_rest

def test_group_update_rest_is_partial(make_user):
    alice = make_user()
    ds = dataset(alice)
    created = group(alice, packages=[{"id": ds["id"]}], extras=[{"key": "k", "value": "v"}], description="Kept")
    update = get_action("group_update_rest")
    shown = update(rest_context(alice, 1), {"id": created["name"], "title": "Only title"})
    assert (shown["title"], shown["description"], shown["packages"], shown["extras"]) == (
        "Only title", "Kept", [ds["name"]], {"k": "v"})
    other = dataset(alice)
    replaced = update(rest_context(alice, 2), {"id": created["id"], "datasets": [other["name"]]})
    assert replaced["packages"] == [other["id"]]


def test_group_update_rest_takes_the_urls_reference_and_accepts_a_read_posted_back(make_user):
    alice = make_user()
    ds = dataset(alice)
    created = group(alice, packages=[{"id": ds["id"]}])
    shown = get_action("group_show_rest")(rest_context(alice, 1), {"id": created["id"]})
    context = dict(rest_context(alice, 1), id=created["name"])
    posted_back = get_action("group_update_rest")(context, shown)
    assert posted_back["packages"] == [ds["name"]]


def test_group_update_rest_needs_a_key(client, make_user):
    created = group(make_user())
    error(client, "group_update_rest", {"id": created["id"], "title": "x"}, None, "Authorization Error")


# ---------------------------------------------------------------- user_update

def test_users_update_themselves(client, sysadmin):
    alice = user(sysadmin)
    data = {"id": alice.name, "email": "new@example.com", "fullname": "New Name", "about": "Updated",
            "password": "new-password"}
    updated = result(client, "user_update", data, alice)
    assert (updated["fullname"], updated["about"], updated["email"]) == ("New Name", "Updated", "new@example.com")
    alice.refresh_from_db()
    assert alice.check_password("new-password")


def test_an_empty_password_keeps_the_old_one(client, sysadmin):
    alice = user(sysadmin, password="first-pw")
    result(client, "user_update", {"id": alice.name, "email": alice.email, "password": ""}, alice)
    alice.refresh_from_db()
    assert alice.check_password("first-pw")


def test_user_update_validation(client, sysadmin, make_user):
    alice = user(sysadmin)
    assert error(client, "user_update", {"id": alice.name}, alice, "Validation Error")["email"]
    short = {"id": alice.name, "email": alice.email, "password": "abc"}
    assert error(client, "user_update", short, alice, "Validation Error")["password"]
    taken = {"id": alice.name, "email": alice.email, "name": make_user().name}
    assert error(client, "user_update", taken, alice, "Validation Error")["name"]
    error(client, "user_update", {"id": "no-such-user", "email": "e@x.org"}, sysadmin, "Not Found Error")


def test_users_cannot_update_others_but_sysadmins_can(client, sysadmin):
    alice, victim = user(sysadmin), user(sysadmin)
    data = {"id": victim.name, "email": victim.email, "fullname": "Hijacked"}
    error(client, "user_update", data, alice, "Authorization Error")
    error(client, "user_update", data, None, "Authorization Error")
    assert result(client, "user_update", data, sysadmin)["fullname"] == "Hijacked"


def test_a_matching_reset_key_authorises_one_update(client, sysadmin):
    victim = user(sysadmin)
    victim.reset_key = "the-reset-key"
    victim.save()
    wrong = {"id": victim.name, "email": victim.email, "password": "pw-1234", "reset_key": "wrong"}
    error(client, "user_update", wrong, None, "Authorization Error")
    right = dict(wrong, reset_key="the-reset-key")
    updated = result(client, "user_update", right, None)
    assert "apikey" not in updated
    victim.refresh_from_db()
    assert (victim.check_password("pw-1234"), victim.reset_key) == (True, "")
    error(client, "user_update", right, None, "Authorization Error")


def test_an_empty_reset_key_never_matches(client, sysadmin):
    victim = user(sysadmin)
    error(client, "user_update", {"id": victim.name, "email": victim.email, "reset_key": ""}, None,
          "Authorization Error")


def test_user_update_cannot_set_keys_or_sysadmin(client, sysadmin):
    alice = user(sysadmin)
    key = alice.apikey
    data = {"id": alice.name, "email": alice.email, "apikey": "chosen", "sysadmin": True, "reset_key": "x"}
    error(client, "user_update", data, None, "Authorization Error")
    result(client, "user_update", data, alice)
    alice.refresh_from_db()
    assert (alice.apikey, alice.sysadmin, alice.reset_key) == (key, False, "")


# ---------------------------------------------------------------- roles

def test_user_role_update_replaces_the_holders_roles(client, make_user):
    alice, bob = make_user(), make_user()
    ds = dataset(alice)
    granted = result(client, "user_role_update",
                     {"user": bob.name, "domain_object": ds["name"], "roles": ["editor", "reader"]}, alice)
    assert sorted((r["user_id"], r["role"]) for r in granted["roles"]) == [
        (str(bob.pk), "editor"), (str(bob.pk), "reader")]
    swapped = result(client, "user_role_update", {"user": bob.name, "domain_object": ds["id"], "roles": ["admin"]},
                     alice)
    assert [r["role"] for r in swapped["roles"]] == ["admin"]
    cleared = result(client, "user_role_update", {"user": bob.name, "domain_object": ds["id"], "roles": []}, alice)
    assert cleared["roles"] == []


def test_user_role_update_needs_admin_rights(client, make_user, sysadmin):
    alice, bob = make_user(), make_user()
    grp = group(alice)
    data = {"user": bob.name, "domain_object": grp["name"], "roles": ["admin"]}
    error(client, "user_role_update", data, bob, "Authorization Error")
    error(client, "user_role_update", data, None, "Authorization Error")
    assert result(client, "user_role_update", data, sysadmin)["roles"][0]["role"] == "admin"
    # bob, now admin of the group, may grant in turn.
    carol = make_user()
    result(client, "user_role_update", {"user": carol.name, "domain_object": grp["id"], "roles": ["editor"]}, bob)


def test_user_role_update_parameters(client, make_user):
    alice = make_user()
    ds = dataset(alice)
    both = {"user": alice.name, "authorization_group": "x", "domain_object": ds["id"], "roles": []}
    error(client, "user_role_update", both, alice, "Parameter Error")
    neither = {"domain_object": ds["id"], "roles": []}
    error(client, "user_role_update", neither, alice, "Parameter Error")
    bad_role = {"user": alice.name, "domain_object": ds["id"], "roles": ["owner"]}
    assert error(client, "user_role_update", bad_role, alice, "Validation Error")["roles"]
    not_list = {"user": alice.name, "domain_object": ds["id"], "roles": "admin"}
    assert error(client, "user_role_update", not_list, alice, "Validation Error")["roles"]
    unknown_user = {"user": "nobody-at-all", "domain_object": ds["id"], "roles": []}
    error(client, "user_role_update", unknown_user, alice, "Not Found Error")
    error(client, "user_role_update", dict(unknown_user, domain_object="nothing"), alice, "Not Found Error")


def test_pseudo_user_roles_can_be_changed(client, make_user):
    alice, bob = make_user(), make_user()
    grp = group(alice)
    result(client, "user_role_update", {"user": "logged_in", "domain_object": grp["id"], "roles": ["editor"]}, alice)
    assert grp["name"] in [g["name"] for g in result(client, "group_list_authz", {}, bob)]
    assert result(client, "group_update", {"id": grp["id"], "title": "Any user"}, bob)["title"] == "Any user"


def test_user_role_bulk_update_sets_several_holders(client, make_user):
    alice, bob, carol = make_user(), make_user(), make_user()
    ds = dataset(alice)
    data = {"domain_object": ds["name"], "user_roles": [
        {"user": bob.name, "roles": ["editor"]},
        {"user": carol.name, "roles": ["reader"]},
        {"user": bob.name, "roles": ["reader"]},
    ]}
    everything = result(client, "user_role_bulk_update", data, alice)
    held = {(r["user_id"], r["role"]) for r in everything["roles"]}
    assert {(str(bob.pk), "editor"), (str(bob.pk), "reader"), (str(carol.pk), "reader"), (str(alice.pk), "admin")} \
        <= held
    error(client, "user_role_bulk_update", data, bob, "Authorization Error")
    bad = {"domain_object": ds["name"], "user_roles": "nope"}
    assert error(client, "user_role_bulk_update", bad, alice, "Validation Error")["user_roles"]


def test_authorization_groups_hold_roles_for_their_members(client, make_user):
    from catalog.models import AuthorizationGroup

    alice, carol = make_user(), make_user()
    team = AuthorizationGroup.objects.create(name=unique("team"))
    team.users.add(carol)
    grp = group(alice)
    granted = result(client, "user_role_update",
                     {"authorization_group": team.name, "domain_object": grp["name"], "roles": ["editor"]}, alice)
    assert granted["authorization_group"] == team.id
    assert [(r["authorized_group_id"], r["role"]) for r in granted["roles"]] == [(team.id, "editor")]
    shown = result(client, "roles_show", {"domain_object": grp["id"], "authorization_group": team.id})
    assert [r["role"] for r in shown["roles"]] == ["editor"]
    assert result(client, "group_update", {"id": grp["id"], "title": "By the team"}, carol)["title"] == "By the team"
    error(client, "roles_show", {"domain_object": grp["id"], "authorization_group": "no-team"},
          error_type="Not Found Error")
