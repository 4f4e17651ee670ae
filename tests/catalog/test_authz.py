"""Every authorization rule of catalog/authz.py: the pure rules first, then the database-backed ones."""
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from catalog import authz

ANON = AnonymousUser()


def user(pk="u1", sysadmin=False):
    """A stand-in for a logged-in accounts.User: the pure rules need no database."""
    return SimpleNamespace(pk=pk, is_authenticated=True, sysadmin=sysadmin)


ALICE = user("alice")
BOB = user("bob")
ROOT = user("root", sysadmin=True)
VISITOR = ("pseudo", "visitor")
LOGGED_IN = ("pseudo", "logged_in")

# The documented CKAN defaults on a dataset alice created.
ALICES_DATASET = [(VISITOR, "reader"), (LOGGED_IN, "editor"), (("user", "alice"), "admin")]


# ---------------------------------------------------------------- who counts as whom

def test_anonymous_counts_as_visitor_only():
    assert authz.holders_of(ANON) == {VISITOR}
    assert authz.holders_of(None) == {VISITOR}


def test_anonymous_gets_no_authorization_groups():
    assert authz.holders_of(ANON, ["g1"]) == {VISITOR}


def test_a_logged_in_user_counts_as_visitor_logged_in_self_and_groups():
    assert authz.holders_of(ALICE, ["g1"]) == {VISITOR, LOGGED_IN, ("user", "alice"), ("authz", "g1")}


def test_roles_held_picks_the_users_roles():
    assert authz.roles_held(ANON, ALICES_DATASET) == {"reader"}
    assert authz.roles_held(BOB, ALICES_DATASET) == {"reader", "editor"}
    assert authz.roles_held(ALICE, ALICES_DATASET) == {"reader", "editor", "admin"}


def test_is_sysadmin_needs_login_and_flag():
    assert authz.is_sysadmin(ROOT)
    assert not authz.is_sysadmin(ALICE)
    assert not authz.is_sysadmin(ANON)
    assert not authz.is_sysadmin(None)
    assert not authz.is_sysadmin(SimpleNamespace(is_authenticated=False, sysadmin=True))


# ---------------------------------------------------------------- role → action table

@pytest.mark.parametrize(
    "role, allowed, refused",
    [
        ("reader", {authz.READ, authz.SITE_READ, authz.USER_READ}, {authz.EDIT, authz.PACKAGE_CREATE, authz.PURGE}),
        (
            "anon_editor",
            {authz.READ, authz.EDIT, authz.PACKAGE_CREATE},
            {authz.GROUP_CREATE, authz.CHANGE_STATE, authz.EDIT_PERMISSIONS, authz.USER_CREATE},
        ),
        (
            "editor",
            {authz.READ, authz.EDIT, authz.PACKAGE_CREATE, authz.GROUP_CREATE, authz.USER_CREATE},
            {authz.CHANGE_STATE, authz.PURGE, authz.EDIT_PERMISSIONS},
        ),
        ("admin", authz.ALL_ACTIONS, set()),
    ],
)
def test_each_role_allows_exactly_its_actions(role, allowed, refused):
    assignments = [(("user", "alice"), role)]
    for action in allowed:
        assert authz.is_authorized(ALICE, action, assignments), (role, action)
    for action in refused:
        assert not authz.is_authorized(ALICE, action, assignments), (role, action)


def test_no_role_no_action():
    for action in authz.ALL_ACTIONS:
        assert not authz.is_authorized(ALICE, action, [])


def test_an_unknown_role_allows_nothing():
    assert not authz.is_authorized(ALICE, authz.READ, [(("user", "alice"), "overlord")])


def test_another_users_role_is_not_mine():
    assert not authz.is_authorized(BOB, authz.EDIT, [(("user", "alice"), "admin")])


# ---------------------------------------------------------------- the documented defaults

def test_anyone_may_read_a_dataset():
    assert authz.is_authorized(ANON, authz.READ, ALICES_DATASET)


def test_anonymous_may_not_edit_a_dataset():
    assert not authz.is_authorized(ANON, authz.EDIT, ALICES_DATASET)


def test_a_logged_in_user_may_edit_anothers_dataset():
    assert authz.is_authorized(BOB, authz.EDIT, ALICES_DATASET)


@pytest.mark.parametrize("action", [authz.CHANGE_STATE, authz.EDIT_PERMISSIONS, authz.PURGE])
def test_only_the_datasets_admin_may_delete_or_change_roles(action):
    assert authz.is_authorized(ALICE, action, ALICES_DATASET)
    assert not authz.is_authorized(BOB, action, ALICES_DATASET)
    assert not authz.is_authorized(ANON, action, ALICES_DATASET)


def test_a_granted_admin_may_delete():
    granted = ALICES_DATASET + [(("user", "bob"), "admin")]
    assert authz.is_authorized(BOB, authz.CHANGE_STATE, granted)


def test_anon_editor_lets_anonymous_edit():
    assert authz.is_authorized(ANON, authz.EDIT, [(VISITOR, "anon_editor")])


# ---------------------------------------------------------------- sysadmins

@pytest.mark.parametrize("action", sorted(authz.ALL_ACTIONS))
@pytest.mark.parametrize("state", ["active", "deleted", "pending"])
def test_a_sysadmin_may_do_anything_anywhere(action, state):
    assert authz.is_authorized(ROOT, action, [], state=state)


# ---------------------------------------------------------------- deleted objects

def test_a_deleted_dataset_is_hidden_from_everyone_but_its_admins():
    assert not authz.is_authorized(ANON, authz.READ, ALICES_DATASET, state="deleted")
    assert not authz.is_authorized(BOB, authz.READ, ALICES_DATASET, state="deleted")
    assert not authz.is_authorized(BOB, authz.EDIT, ALICES_DATASET, state="deleted")
    assert authz.is_authorized(ALICE, authz.READ, ALICES_DATASET, state="deleted")
    assert authz.is_authorized(ALICE, authz.CHANGE_STATE, ALICES_DATASET, state="deleted")


def test_a_pending_object_follows_the_ordinary_rules():
    assert authz.is_authorized(BOB, authz.EDIT, ALICES_DATASET, state="pending")


# ---------------------------------------------------------------- authorization groups

def test_a_role_held_by_an_authorization_group_is_held_by_its_members():
    assignments = [(("authz", "editors"), "admin")]
    assert authz.is_authorized(BOB, authz.EDIT_PERMISSIONS, assignments, authorization_group_ids=["editors"])
    assert not authz.is_authorized(BOB, authz.EDIT_PERMISSIONS, assignments, authorization_group_ids=["others"])
    assert not authz.is_authorized(BOB, authz.EDIT_PERMISSIONS, assignments)


def test_group_admins_count_for_deleted_objects():
    assignments = [(("authz", "editors"), "admin")]
    assert authz.is_authorized(BOB, authz.READ, assignments, state="deleted", authorization_group_ids=["editors"])


# ---------------------------------------------------------------- default roles from settings

def test_default_assignments_come_from_settings(settings):
    settings.CKAN_DEFAULT_ROLES = {"package": {"visitor": ["reader"], "logged_in": ["reader", "anon_editor"]}}
    assert sorted(authz.default_assignments("package")) == [
        ("logged_in", "anon_editor"),
        ("logged_in", "reader"),
        ("visitor", "reader"),
    ]
    assert authz.default_assignments("group") == []


def test_the_shipped_defaults_are_ckans():
    from django.conf import settings

    assert settings.CKAN_DEFAULT_ROLES["package"] == {"visitor": ["reader"], "logged_in": ["editor"]}
    assert settings.CKAN_DEFAULT_ROLES["group"] == {"visitor": ["reader"], "logged_in": ["reader"]}


# ---------------------------------------------------------------- the database-backed rules

@pytest.fixture
def dataset(db):
    from catalog.models import Package

    return Package.objects.create(name="authz-dataset")


@pytest.fixture
def group(db):
    from catalog.models import Group

    return Group.objects.create(name="authz-group")


def test_setup_default_roles_gives_the_creator_admin(dataset, make_user):
    alice, bob = make_user(), make_user()
    authz.setup_default_roles(dataset, alice)
    assert authz.check(ANON, authz.READ, dataset)
    assert not authz.check(ANON, authz.EDIT, dataset)
    assert authz.check(bob, authz.EDIT, dataset)
    assert not authz.check(bob, authz.CHANGE_STATE, dataset)
    assert authz.check(alice, authz.CHANGE_STATE, dataset)
    assert authz.check(alice, authz.EDIT_PERMISSIONS, dataset)


def test_setup_default_roles_without_a_logged_in_creator_makes_no_admin(dataset):
    authz.setup_default_roles(dataset, ANON)
    assert all(holder[0] == "pseudo" for holder, _ in authz.object_assignments(dataset))


def test_groups_are_edited_by_their_own_admins_only(group, make_user):
    alice, bob = make_user(), make_user()
    authz.setup_default_roles(group, alice)
    assert authz.check(ANON, authz.READ, group)
    assert authz.check(alice, authz.EDIT, group)
    assert not authz.check(bob, authz.EDIT, group)


def test_setup_default_roles_follows_changed_settings(settings, dataset, make_user):
    settings.CKAN_DEFAULT_ROLES = {"package": {"visitor": ["anon_editor"]}}
    authz.setup_default_roles(dataset, make_user())
    assert authz.check(ANON, authz.EDIT, dataset)


def test_roles_on_something_else_are_a_type_error(db):
    with pytest.raises(TypeError):
        authz.setup_default_roles(object(), ANON)
    with pytest.raises(TypeError):
        authz.object_assignments(object())


def test_check_on_a_deleted_dataset(dataset, make_user, sysadmin):
    alice, bob = make_user(), make_user()
    authz.setup_default_roles(dataset, alice)
    dataset.state = "deleted"
    dataset.save()
    assert not authz.check(ANON, authz.READ, dataset)
    assert not authz.check(bob, authz.READ, dataset)
    assert authz.check(alice, authz.READ, dataset)
    assert authz.check(sysadmin, authz.READ, dataset)


def test_check_with_a_role_held_through_an_authorization_group(dataset, make_user):
    from catalog.models import AuthorizationGroup, RoleAssignment

    alice, bob = make_user(), make_user()
    authz.setup_default_roles(dataset, alice)
    team = AuthorizationGroup.objects.create(name="team")
    RoleAssignment.objects.create(authorization_group=team, role="admin", package=dataset)
    assert not authz.check(bob, authz.EDIT_PERMISSIONS, dataset)
    team.users.add(bob)
    assert authz.user_authorization_group_ids(bob) == (str(team.pk),)
    assert authz.check(bob, authz.EDIT_PERMISSIONS, dataset)
    assert authz.user_authorization_group_ids(ANON) == ()


def test_system_rules_use_the_default_system_roles(db, make_user):
    assert authz.check(ANON, authz.SITE_READ)
    assert not authz.check(ANON, authz.PACKAGE_CREATE)
    assert authz.check(make_user(), authz.PACKAGE_CREATE)


def test_system_rules_follow_settings(settings, db, make_user):
    settings.CKAN_DEFAULT_ROLES = {"system": {"visitor": ["anon_editor"], "logged_in": ["reader"]}}
    assert authz.check(ANON, authz.PACKAGE_CREATE)
    assert authz.check(ANON, authz.EDIT)
    assert not authz.check(make_user(), authz.GROUP_CREATE)


def test_an_explicit_system_role(db, make_user):
    from catalog.models import RoleAssignment

    alice = make_user()
    assert authz.check(alice, authz.USER_CREATE)  # logged-in users are system editors by default
    assert not authz.check(alice, authz.PURGE)
    RoleAssignment.objects.create(user=alice, role="admin")
    assert authz.check(alice, authz.PURGE)
    assert ((("user", str(alice.pk)), "admin")) in authz.system_assignments()


def test_a_sysadmin_passes_every_check_without_roles(dataset, sysadmin):
    for action in authz.ALL_ACTIONS:
        assert authz.check(sysadmin, action, dataset)
        assert authz.check(sysadmin, action)
