"""A key matching no user: anonymous for reads a visitor may make, refused for everything else.

ckanclient 0.10 sends the string `None` as its key when it has none; CKAN 1.6
served such requests as anonymous where no authorization was needed. Here
every surface (Action, Model, Search, Util API) does the same, and every
write with such a key is an Authorization Error / 403 that changes nothing,
even where visitors themselves may write.
"""
import json
import uuid

import pytest

from accounts.models import User
from catalog import models
from catalog.logic import registry
from tests.catalog.logic.factories import call, dataset

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

UNKNOWN_KEYS = ["None", "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d", "garbage key \u00e9\u00e9 !!"]
HEADERS = ["HTTP_AUTHORIZATION", "HTTP_X_CKAN_API_KEY"]

# Every model whose rows a write can touch: their rows, fully, before and after.
WATCHED = [
    models.Package, models.Resource, models.Tag, models.PackageTag, models.PackageExtra, models.Group,
    models.GroupExtra, models.Member, models.PackageRelationship, models.Rating, models.Revision,
    models.RoleAssignment, User,
]


def snapshot():
    return {model.__name__: sorted(map(repr, model.objects.values_list())) for model in WATCHED}


OPEN_ROLES = {
    "package": {"visitor": ["admin"], "logged_in": ["admin"]},
    "group": {"visitor": ["admin"], "logged_in": ["admin"]},
    "system": {"visitor": ["admin"], "logged_in": ["admin"]},
}


@pytest.fixture
def roles(request, settings):
    """`default` roles, or `visitors-may-write`: visitors are admins of everything made afterwards."""
    name = getattr(request, "param", "default")
    if name != "default":
        settings.CKAN_DEFAULT_ROLES = OPEN_ROLES
    return name


@pytest.fixture
def catalog_objects(roles, make_user, sysadmin):
    owner = make_user()
    first = dataset(owner, resources=[{"url": "http://example.com/a.csv"}], tags=[{"name": "t1"}])
    second = dataset(owner)
    group = call("group_create", sysadmin, name="grp-" + uuid.uuid4().hex[:6])
    return {"owner": owner, "first": first, "second": second, "group": group}


def write_bodies(objs):
    """A body for every write action that would succeed for a user allowed to run it."""
    first, second, group, owner = objs["first"], objs["second"], objs["group"], objs["owner"]
    return {
        "package_create": {"name": "new-by-unknown-key"},
        "package_create_validate": {"name": "new-by-unknown-key"},
        "package_create_rest": {"name": "new-by-unknown-key"},
        "package_update": {"id": first["id"], "title": "changed"},
        "package_update_validate": {"id": first["id"], "title": "changed"},
        "package_update_rest": {"id": first["id"], "title": "changed"},
        "package_patch": {"id": first["id"], "title": "changed"},
        "package_delete": {"id": first["id"]},
        "dataset_purge": {"id": first["id"]},
        "make_latest_pending_package_active": {"id": first["id"]},
        "resource_create": {"package_id": first["id"], "url": "http://example.com/new.csv"},
        "resource_update": {"id": first["resources"][0]["id"], "url": "http://example.com/changed.csv"},
        "resource_patch": {"id": first["resources"][0]["id"], "url": "http://example.com/changed.csv"},
        "package_relationship_create": {"subject": first["name"], "object": second["name"], "type": "depends_on"},
        "package_relationship_update": {"subject": first["name"], "object": second["name"], "type": "depends_on",
                                        "comment": "c"},
        "package_relationship_delete": {"subject": first["name"], "object": second["name"], "type": "depends_on"},
        "rating_create": {"package": first["name"], "rating": 4},
        "group_create": {"name": "grp-by-unknown-key"},
        "group_create_rest": {"name": "grp-by-unknown-key"},
        "group_update": {"id": group["id"], "title": "changed"},
        "group_update_rest": {"id": group["id"], "title": "changed"},
        "group_patch": {"id": group["id"], "title": "changed"},
        "group_delete": {"id": group["id"]},
        "group_purge": {"id": group["id"]},
        "user_create": {"name": "user-by-unknown-key", "email": "u@example.com", "password": "pass1234"},
        "user_update": {"id": owner.name, "email": "changed@example.com"},
        "user_generate_apikey": {"id": owner.name},
        "user_role_update": {"user": "visitor", "domain_object": first["name"], "roles": ["admin"]},
        "user_role_bulk_update": {"domain_object": first["name"], "user_roles": [{"user": "visitor",
                                                                                  "roles": ["admin"]}]},
        "user_sysadmin_update": {"id": owner.name, "sysadmin": True},
    }


def write_actions():
    return [name for name in registry.action_names() if not registry.is_read_only(name)]


def test_every_write_action_has_a_body_here(catalog_objects):
    """A new write action must be added to write_bodies, so the test below covers it."""
    assert sorted(write_actions()) == sorted(write_bodies(catalog_objects))


@pytest.mark.parametrize("roles", ["default", "visitors-may-write"], indirect=True)
@pytest.mark.parametrize("key", UNKNOWN_KEYS)
def test_every_write_with_an_unknown_key_is_refused_and_changes_nothing(client, settings, key, catalog_objects):
    settings.CKAN_ACTION_API_STATUS_CODES = True
    bodies = write_bodies(catalog_objects)
    before = snapshot()
    for name, header in zip(write_actions(), HEADERS * len(bodies)):
        resp = client.post(f"/api/action/{name}", data=json.dumps(bodies[name]), content_type="application/json",
                           **{header: key})
        body = resp.json()
        assert (resp.status_code, body["success"], body["error"]["__type"]) == (403, False, "Authorization Error"), \
            (name, body)
        assert "invalid" not in body["error"]["message"].lower(), (name, body)
    assert snapshot() == before


def test_reads_with_an_unknown_key_are_anonymous_on_every_surface(client, catalog_objects):
    first = catalog_objects["first"]
    for key in UNKNOWN_KEYS:
        for header in HEADERS:
            headers = {header: key}
            shown = client.get(f"/api/action/package_show?id={first['name']}", **headers).json()
            assert shown["success"] is True and shown["result"]["id"] == first["id"]
            assert client.get(f"/api/rest/dataset/{first['name']}", **headers).json()["id"] == first["id"]
            assert client.get(f"/api/2/rest/dataset/{first['id']}", **headers).status_code == 200
            assert client.get("/api/rest/group", **headers).status_code == 200
            found = client.get(f"/api/search/dataset?q=name:{first['name']}", **headers)
            assert found.status_code == 200 and "count" in found.json()
            found = client.post("/api/action/package_search", data='{"q": "x"}', content_type="application/json",
                                **headers)
            assert found.json()["success"] is True
            assert client.get("/api/util/status", **headers).status_code == 200
            assert client.get("/api/util/dataset/autocomplete?incomplete=ds", **headers).status_code == 200


def test_a_read_a_visitor_may_not_make_is_refused_with_an_unknown_key(client, catalog_objects, sysadmin):
    first = catalog_objects["first"]
    call("user_role_bulk_update", sysadmin, domain_object=first["name"],
         user_roles=[{"user": "visitor", "roles": []}, {"user": "logged_in", "roles": []}])
    for key in [None, *UNKNOWN_KEYS]:
        headers = {} if key is None else {"HTTP_AUTHORIZATION": key}
        body = client.get(f"/api/action/package_show?id={first['id']}", **headers).json()
        assert body["error"]["__type"] == "Authorization Error"
        assert client.get(f"/api/2/rest/dataset/{first['id']}", **headers).status_code == 403
    # the owner (a real key) still reads it
    owner = catalog_objects["owner"]
    assert client.get(f"/api/2/rest/dataset/{first['id']}", HTTP_AUTHORIZATION=owner.apikey).status_code == 200


def test_model_and_util_api_writes_with_an_unknown_key_are_403(client, catalog_objects):
    first, group = catalog_objects["first"], catalog_objects["group"]
    before = snapshot()
    for key in UNKNOWN_KEYS:
        headers = {"HTTP_X_CKAN_API_KEY": key}
        requests = [
            client.post("/api/rest/dataset", data='{"name": "rest-new"}', content_type="application/json", **headers),
            client.put(f"/api/rest/dataset/{first['name']}", data='{"title": "x"}', content_type="application/json",
                       **headers),
            client.delete(f"/api/rest/dataset/{first['name']}", **headers),
            client.post("/api/2/rest/group", data='{"name": "rest-grp"}', content_type="application/json", **headers),
            client.put(f"/api/2/rest/group/{group['id']}", data='{"title": "x"}', content_type="application/json",
                       **headers),
            client.post(f"/api/rest/dataset/{first['name']}/depends_on/{catalog_objects['second']['name']}",
                        data="{}", content_type="application/json", **headers),
        ]
        for resp in requests:
            assert resp.status_code == 403, resp.content
            assert "invalid" not in resp.content.decode().lower()
    assert snapshot() == before
