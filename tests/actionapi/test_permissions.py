"""Who may call each action: one row per action, one column per kind of caller, over HTTP.

The rules, as documented (spec "Authorization Header", the README's default
roles, the conformance suite's test_auth.py): anyone may read; a logged-in
user may create datasets and groups and edit any dataset; the creator of a
dataset or group is its admin; only admins (and sysadmins) may delete it,
moderate it or change its roles; a group is edited, and datasets are put into
it, by its own admins and editors; a deleted object is seen only by its
admins; users edit only themselves; purges are for sysadmins; sysadmins may
do anything. Relating two datasets edits both.

Every row is checked under two role settings:

- ``default``: CKAN 1.6's default roles (package: visitor reader, logged_in
  editor; group: visitor reader, logged_in reader; system: visitor reader,
  logged_in editor);
- ``closed``: a closed site (CKAN_DEFAULT_ROLES gives visitors nothing and
  logged-in users ``reader`` only), where the roles granted on each object
  decide: ``editor`` may edit, ``reader`` may not, and visitors may not
  even read the site.

The callers: ``anonymous`` (no key), ``user`` (logged in, no role granted),
``reader`` and ``editor`` (granted that role on the dataset and on the
group), ``admin`` (created the datasets and groups, so holds ``admin`` on
them), ``sysadmin``. Each call runs inside a savepoint that is rolled back,
so every caller meets the same catalog, and a row's body is valid: an allowed
caller must succeed (anything but success or an Authorization Error fails the
test), so a rule that wrongly allows and a rule that wrongly refuses both fail.
"""
import json
import os
from dataclasses import dataclass, field

import pytest
from django.db import transaction

from catalog.logic import new_context
from catalog.logic.registry import action_names, get_action

pytestmark = pytest.mark.django_db

ACTORS = ("anonymous", "user", "reader", "editor", "admin", "sysadmin")
EVERYONE = frozenset(ACTORS)
LOGGED_IN = EVERYONE - {"anonymous"}
EDITORS = frozenset({"editor", "admin", "sysadmin"})
ADMINS = frozenset({"admin", "sysadmin"})
SYSADMIN = frozenset({"sysadmin"})

DEFAULT_ROLES = {
    "package": {"visitor": ["reader"], "logged_in": ["editor"]},
    "group": {"visitor": ["reader"], "logged_in": ["reader"]},
    "system": {"visitor": ["reader"], "logged_in": ["editor"]},
}
CLOSED_ROLES = {
    "package": {"logged_in": ["reader"]},
    "group": {"logged_in": ["reader"]},
    "system": {"logged_in": ["reader"]},
}
ROLE_SETTINGS = {"default": DEFAULT_ROLES, "closed": CLOSED_ROLES}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Users here never log in with a password: skip the deliberately slow hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    """The catalog every caller meets: the callers, two datasets related to each other, a group, deleted ones."""

    users: dict = field(default_factory=dict)  # actor name -> User (none for anonymous)
    target: object = None  # a user no caller is
    dataset: dict = None  # made by admin, in no group; a resource, a tag, depends_on `other`
    other: dict = None  # made by admin
    deleted: dict = None  # made by admin, with a resource, then deleted
    group: dict = None  # made by admin
    deleted_group: dict = None  # made by admin, then deleted
    roles: str = "default"  # which role setting the world was built under

    def name(self, actor):
        """The caller's own user name (anonymous has none: the target's stands in)."""
        user = self.users.get(actor)
        return (user or self.target).name

    def unique(self, prefix):
        return f"{prefix}-{os.urandom(4).hex()}"


def _setup(action, user, data):
    """Build the world through the actions, as `user`, without consulting the rules under test."""
    return get_action(action)(new_context(user=user, ignore_auth=True), data)


@pytest.fixture(params=sorted(ROLE_SETTINGS))
def world(request, settings, make_user, sysadmin):
    settings.CKAN_DEFAULT_ROLES = ROLE_SETTINGS[request.param]
    w = World()
    w.roles = request.param
    w.users = {actor: make_user() for actor in ("user", "reader", "editor", "admin")}
    w.users["sysadmin"] = sysadmin
    w.target = make_user()
    admin = w.users["admin"]
    w.group = _setup("group_create", admin, {"name": w.unique("grp")})
    w.deleted_group = _setup("group_create", admin, {"name": w.unique("gone-grp")})
    _setup("group_delete", admin, {"id": w.deleted_group["id"]})
    w.other = _setup("package_create", admin, {"name": w.unique("other")})
    w.dataset = _setup("package_create", admin, {
        "name": w.unique("ds"), "tags": [{"name": "permissions"}],
        "resources": [{"url": "http://example.com/data.csv", "format": "CSV"}],
    })
    _setup("package_relationship_create", admin,
           {"subject": w.dataset["name"], "object": w.other["name"], "type": "depends_on"})
    w.deleted = _setup("package_create", admin, {
        "name": w.unique("gone"), "resources": [{"url": "http://example.com/gone.csv", "format": "CSV"}],
    })
    _setup("package_delete", admin, {"id": w.deleted["id"]})
    for role in ("reader", "editor"):
        for obj in (w.dataset, w.group):
            _setup("user_role_update", admin, {"user": w.users[role].name, "domain_object": obj["id"], "roles": [role]})
    return w


@dataclass(frozen=True)
class Row:
    """One action, the body a caller sends, and who may call it under each role setting."""

    action: str
    body: object  # (world, actor) -> data dict
    default: frozenset
    closed: frozenset
    label: str = ""

    @property
    def id(self):
        return f"{self.action}[{self.label}]" if self.label else self.action


def _dataset_update(w, actor):
    body = _setup("package_show", w.users["sysadmin"], {"id": w.dataset["id"]})
    return dict(body, title=f"Edited by {actor}")


def _resource_id(dataset):
    return dataset["resources"][0]["id"]


D = lambda w: w.dataset["name"]  # noqa: E731
G = lambda w: w.group["name"]  # noqa: E731

SITE_READS = [
    Row("site_read", lambda w, a: {}, EVERYONE, LOGGED_IN),
    Row("package_list", lambda w, a: {}, EVERYONE, LOGGED_IN),
    Row("current_package_list_with_resources", lambda w, a: {}, EVERYONE, LOGGED_IN),
    Row("revision_list", lambda w, a: {}, EVERYONE, LOGGED_IN),
    Row("revision_show", lambda w, a: {"id": w.dataset["revision_id"]}, EVERYONE, LOGGED_IN),
    Row("package_autocomplete", lambda w, a: {"q": "ds"}, EVERYONE, LOGGED_IN),
    Row("format_autocomplete", lambda w, a: {"q": "cs"}, EVERYONE, LOGGED_IN),
    Row("package_search", lambda w, a: {"q": "permissions"}, EVERYONE, LOGGED_IN),
    Row("resource_search", lambda w, a: {"fields": {"format": "csv"}}, EVERYONE, LOGGED_IN),
]

DATASET_READS = [
    Row("package_show", lambda w, a: {"id": D(w)}, EVERYONE, LOGGED_IN),
    Row("package_show", lambda w, a: {"id": w.deleted["name"]}, ADMINS, ADMINS, "deleted"),
    Row("package_show_rest", lambda w, a: {"id": D(w)}, EVERYONE, LOGGED_IN),
    Row("package_show_rest", lambda w, a: {"id": w.deleted["name"]}, ADMINS, ADMINS, "deleted"),
    Row("package_revision_list", lambda w, a: {"id": D(w)}, EVERYONE, LOGGED_IN),
    Row("package_revision_list", lambda w, a: {"id": w.deleted["name"]}, ADMINS, ADMINS, "deleted"),
    Row("resource_show", lambda w, a: {"id": _resource_id(w.dataset)}, EVERYONE, LOGGED_IN),
    Row("resource_show", lambda w, a: {"id": _resource_id(w.deleted)}, ADMINS, ADMINS, "deleted dataset"),
    Row("package_relationships_list", lambda w, a: {"id": D(w)}, EVERYONE, LOGGED_IN),
    Row("package_relationships_list", lambda w, a: {"id": w.deleted["name"]}, ADMINS, ADMINS, "deleted"),
    Row("package_relationships_list", lambda w, a: {"id": D(w), "id2": w.deleted["name"]}, ADMINS, ADMINS,
        "with a deleted dataset"),
]

GROUP_READS = [
    Row(action, lambda w, a: {"id": G(w)}, EVERYONE, LOGGED_IN)
    for action in ("group_show", "group_show_rest", "group_package_show", "group_revision_list")
] + [
    Row(action, lambda w, a: {"id": w.deleted_group["name"]}, ADMINS, ADMINS, "deleted")
    for action in ("group_show", "group_show_rest", "group_package_show", "group_revision_list")
]

# Public whatever the roles, as in CKAN 1.6: lists, tags, users, roles, licences, status
# (user_show hides the private fields itself).
PUBLIC_READS = [
    Row("group_list", lambda w, a: {}, EVERYONE, EVERYONE),
    Row("group_list_authz", lambda w, a: {}, EVERYONE, EVERYONE),
    Row("group_list_available", lambda w, a: {}, EVERYONE, EVERYONE),
    Row("tag_list", lambda w, a: {}, EVERYONE, EVERYONE),
    Row("tag_show", lambda w, a: {"id": "permissions"}, EVERYONE, EVERYONE),
    Row("tag_show_rest", lambda w, a: {"id": "permissions"}, EVERYONE, EVERYONE),
    Row("tag_search", lambda w, a: {"query": "perm"}, EVERYONE, EVERYONE),
    Row("tag_autocomplete", lambda w, a: {"q": "perm"}, EVERYONE, EVERYONE),
    Row("user_list", lambda w, a: {}, EVERYONE, EVERYONE),
    Row("user_show", lambda w, a: {"id": w.target.name}, EVERYONE, EVERYONE),
    Row("user_autocomplete", lambda w, a: {"q": "user"}, EVERYONE, EVERYONE),
    Row("licence_list", lambda w, a: {}, EVERYONE, EVERYONE),
    Row("roles_show", lambda w, a: {"domain_object": D(w)}, EVERYONE, EVERYONE),
    Row("status_show", lambda w, a: {}, EVERYONE, EVERYONE),
]

DATASET_WRITES = [
    # Creating needs create-package on the system; putting the new dataset into a group, editing that group.
    Row("package_create", lambda w, a: {"name": w.unique("new")}, LOGGED_IN, SYSADMIN),
    Row("package_create", lambda w, a: {"name": w.unique("new"), "groups": [{"name": G(w)}]}, EDITORS, SYSADMIN,
        "into a group"),
    Row("package_create_validate", lambda w, a: {"name": w.unique("new")}, LOGGED_IN, SYSADMIN),
    Row("package_create_validate", lambda w, a: {"name": w.unique("new"), "groups": [{"name": G(w)}]},
        EDITORS, SYSADMIN, "into a group"),
    Row("package_create_rest", lambda w, a: {"name": w.unique("new")}, LOGGED_IN, SYSADMIN),
    Row("package_create_rest", lambda w, a: {"name": w.unique("new"), "groups": [G(w)]}, EDITORS, SYSADMIN,
        "into a group"),
    # Editing a dataset: its editors (every logged-in user under the default roles).
    Row("package_update", _dataset_update, LOGGED_IN, EDITORS),
    Row("package_update_validate", _dataset_update, LOGGED_IN, EDITORS),
    Row("package_update_rest", lambda w, a: {"id": D(w), "title": a}, LOGGED_IN, EDITORS),
    Row("package_patch", lambda w, a: {"id": D(w), "title": a}, LOGGED_IN, EDITORS),
    Row("package_patch", lambda w, a: {"id": D(w), "groups": [{"name": G(w)}]}, EDITORS, EDITORS, "into a group"),
    Row("package_update_rest", lambda w, a: {"id": D(w), "groups": [G(w)]}, EDITORS, EDITORS, "into a group"),
    Row("resource_create", lambda w, a: {"package_id": D(w), "url": "http://example.com/new.csv"}, LOGGED_IN, EDITORS),
    Row("resource_update", lambda w, a: {"id": _resource_id(w.dataset), "url": "http://example.com/v2.csv"},
        LOGGED_IN, EDITORS),
    Row("resource_patch", lambda w, a: {"id": _resource_id(w.dataset), "format": "TSV"}, LOGGED_IN, EDITORS),
    # Relating two datasets edits both: the editor of the first alone may not.
    Row("package_relationship_create", lambda w, a: {"subject": D(w), "object": w.other["name"], "type": "links_to"},
        LOGGED_IN, ADMINS),
    Row("package_relationship_update",
        lambda w, a: {"subject": D(w), "object": w.other["name"], "type": "depends_on", "comment": a},
        LOGGED_IN, ADMINS),
    Row("package_relationship_delete",
        lambda w, a: {"subject": D(w), "object": w.other["name"], "type": "depends_on"}, LOGGED_IN, ADMINS),
    # Rating needs a login and the right to read the dataset.
    Row("rating_create", lambda w, a: {"package": D(w), "rating": 4}, LOGGED_IN, LOGGED_IN),
    Row("rating_create", lambda w, a: {"package": w.deleted["name"], "rating": 4}, ADMINS, ADMINS, "deleted"),
    # State changes and roles: the dataset's admins.
    Row("make_latest_pending_package_active", lambda w, a: {"id": D(w)}, ADMINS, ADMINS),
    Row("package_delete", lambda w, a: {"id": D(w)}, ADMINS, ADMINS),
    Row("user_role_update", lambda w, a: {"user": w.target.name, "domain_object": D(w), "roles": ["editor"]},
        ADMINS, ADMINS),
    Row("user_role_bulk_update",
        lambda w, a: {"domain_object": D(w), "user_roles": [{"user": w.target.name, "roles": ["editor"]}]},
        ADMINS, ADMINS),
    Row("dataset_purge", lambda w, a: {"id": D(w)}, SYSADMIN, SYSADMIN),
]

GROUP_WRITES = [
    Row("group_create", lambda w, a: {"name": w.unique("new-grp")}, LOGGED_IN, SYSADMIN),
    Row("group_create_rest", lambda w, a: {"name": w.unique("new-grp")}, LOGGED_IN, SYSADMIN),
    Row("group_update", lambda w, a: {"id": w.group["id"], "name": G(w), "title": a}, EDITORS, EDITORS),
    Row("group_patch", lambda w, a: {"id": G(w), "title": a}, EDITORS, EDITORS),
    Row("group_update_rest", lambda w, a: {"id": G(w), "title": a}, EDITORS, EDITORS),
    Row("group_delete", lambda w, a: {"id": G(w)}, ADMINS, ADMINS),
    Row("group_purge", lambda w, a: {"id": G(w)}, SYSADMIN, SYSADMIN),
    Row("user_role_update", lambda w, a: {"user": w.target.name, "domain_object": G(w), "roles": ["editor"]},
        ADMINS, ADMINS, "on a group"),
    Row("user_role_bulk_update",
        lambda w, a: {"domain_object": G(w), "user_roles": [{"user": w.target.name, "roles": ["editor"]}]},
        ADMINS, ADMINS, "on a group"),
]

USER_WRITES = [
    Row("user_create",
        lambda w, a: {"name": w.unique("new-user"), "email": "new@example.org", "password": "pass1234"},
        LOGGED_IN, SYSADMIN),
    Row("user_update", lambda w, a: {"id": w.target.name, "email": "changed@example.org"}, SYSADMIN, SYSADMIN,
        "another user"),
    Row("user_update", lambda w, a: {"id": w.name(a), "email": "changed@example.org", "fullname": a},
        LOGGED_IN, LOGGED_IN, "themself"),
    Row("user_generate_apikey", lambda w, a: {"id": w.target.name}, SYSADMIN, SYSADMIN, "another user"),
    Row("user_generate_apikey", lambda w, a: {"id": w.name(a)}, LOGGED_IN, LOGGED_IN, "themself"),
    Row("user_sysadmin_update", lambda w, a: {"id": w.target.name, "sysadmin": True}, SYSADMIN, SYSADMIN),
]

ROWS = SITE_READS + DATASET_READS + GROUP_READS + PUBLIC_READS + DATASET_WRITES + GROUP_WRITES + USER_WRITES


def _headers(w, actor):
    user = w.users.get(actor)
    return {"HTTP_AUTHORIZATION": user.apikey} if user else {}


def _action_decision(client, w, row, actor):
    """True if `actor` may call the row's action, False if refused; any other answer fails the test."""
    data = row.body(w, actor)
    with transaction.atomic():
        response = client.post(f"/api/action/{row.action}", data=json.dumps(data), content_type="application/json",
                               **_headers(w, actor))
        transaction.set_rollback(True)
    body = response.json()
    if body.get("success") is True:
        return True
    assert body.get("error", {}).get("__type") == "Authorization Error", (
        f"{row.id} as {actor} ({w.roles} roles) neither succeeded nor was refused: {body}")
    return False


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_who_may_call_each_action(client, world, row):
    expected = getattr(row, world.roles)
    decided = {actor: _action_decision(client, world, row, actor) for actor in ACTORS}
    allowed = {actor for actor, may in decided.items() if may}
    assert allowed == set(expected), f"{row.id} under the {world.roles} roles"


def test_every_action_has_a_row():
    assert {row.action for row in ROWS} == set(action_names())


def test_every_action_refuses_someone_somewhere_unless_public():
    """A rule that refuses no one in any row cannot be pinned: only the public reads may."""
    public = {row.action for row in PUBLIC_READS}
    unpinned = {row.action for row in ROWS if row.action not in public and row.default == row.closed == EVERYONE}
    assert not unpinned
    for action in set(action_names()) - public:
        assert any(row.action == action and (row.default != EVERYONE or row.closed != EVERYONE) for row in ROWS), action


# ---------------------------------------------------------------- the Model API's writes


@dataclass(frozen=True)
class RestRow:
    """One Model API request and who may make it under each role setting."""

    method: str
    path: object  # world -> path under /api/rest
    body: object  # (world, actor) -> JSON body, or None
    default: frozenset
    closed: frozenset
    label: str

    @property
    def id(self):
        return self.label


REST_ROWS = [
    RestRow("get", lambda w: f"dataset/{D(w)}", None, EVERYONE, LOGGED_IN, "read a dataset"),
    RestRow("get", lambda w: f"dataset/{w.deleted['name']}", None, ADMINS, ADMINS, "read a deleted dataset"),
    RestRow("get", lambda w: f"group/{G(w)}", None, EVERYONE, LOGGED_IN, "read a group"),
    RestRow("post", lambda w: "dataset", lambda w, a: {"name": w.unique("new")}, LOGGED_IN, SYSADMIN,
            "create a dataset"),
    RestRow("post", lambda w: "dataset", lambda w, a: {"name": w.unique("new"), "groups": [G(w)]}, EDITORS, SYSADMIN,
            "create a dataset in a group"),
    RestRow("post", lambda w: f"dataset/{D(w)}", lambda w, a: {"title": a}, LOGGED_IN, EDITORS, "update a dataset"),
    RestRow("put", lambda w: f"dataset/{D(w)}", lambda w, a: {"title": a}, LOGGED_IN, EDITORS, "put a dataset"),
    RestRow("delete", lambda w: f"dataset/{D(w)}", None, ADMINS, ADMINS, "delete a dataset"),
    RestRow("post", lambda w: "group", lambda w, a: {"name": w.unique("new-grp")}, LOGGED_IN, SYSADMIN,
            "create a group"),
    RestRow("post", lambda w: f"group/{G(w)}", lambda w, a: {"title": a}, EDITORS, EDITORS, "update a group"),
    RestRow("delete", lambda w: f"group/{G(w)}", None, ADMINS, ADMINS, "delete a group"),
    RestRow("post", lambda w: f"dataset/{D(w)}/links_to/{w.other['name']}", lambda w, a: {"comment": a},
            LOGGED_IN, ADMINS, "create a relationship"),
    RestRow("put", lambda w: f"dataset/{D(w)}/depends_on/{w.other['name']}", lambda w, a: {"comment": a},
            LOGGED_IN, ADMINS, "update a relationship"),
    RestRow("delete", lambda w: f"dataset/{D(w)}/depends_on/{w.other['name']}", None, LOGGED_IN, ADMINS,
            "delete a relationship"),
    RestRow("post", lambda w: "rating", lambda w, a: {"package": D(w), "rating": 3}, LOGGED_IN, LOGGED_IN,
            "rate a dataset"),
]


def _rest_decision(client, w, row, actor):
    """True for a 2xx answer, False for a 403; any other answer fails the test."""
    body = row.body(w, actor) if row.body else None
    kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body is not None else {}
    with transaction.atomic():
        response = getattr(client, row.method)(f"/api/rest/{row.path(w)}", **kwargs, **_headers(w, actor))
        transaction.set_rollback(True)
    assert response.status_code in (200, 201, 403), (
        f"{row.label} as {actor} ({w.roles} roles): {response.status_code} {response.content[:300]!r}")
    return response.status_code != 403


@pytest.mark.parametrize("row", REST_ROWS, ids=lambda row: row.id)
def test_who_may_make_each_model_api_request(client, world, row):
    expected = getattr(row, world.roles)
    allowed = {actor for actor in ACTORS if _rest_decision(client, world, row, actor)}
    assert allowed == set(expected), f"{row.label} under the {world.roles} roles"
