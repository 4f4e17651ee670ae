"""package_patch, resource_patch, group_patch (CKAN 2.x partial updates) and dataset_purge, group_purge, over HTTP."""
import json
import os

import pytest
from reversion.models import Version

from catalog.models import Group, Member, Package, PackageRelationship, Resource, Revision
from tests.catalog.logic.factories import call, dataset, resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, django_capture_on_commit_callbacks):
    """POST an action as `user` (anonymous when None); run its after-commit work; return the envelope."""

    def post(action, user=None, **data):
        headers = {"HTTP_AUTHORIZATION": user.apikey} if user is not None else {}
        with django_capture_on_commit_callbacks(execute=True):
            resp = client.post(f"/api/action/{action}", data=json.dumps(data), content_type="application/json",
                               **headers)
        return resp.json()

    return post


@pytest.fixture
def alice(make_user):
    return make_user()


@pytest.fixture
def full(alice, sysadmin):
    group = call("group_create", sysadmin, name="grp-" + os.urandom(3).hex())
    call("user_role_update", sysadmin, {"user": alice.name, "domain_object": group["name"], "roles": ["admin"]})
    return dataset(
        alice,
        url="http://example.com/home",
        resources=[resource("a"), resource("b")],
        tags=[{"name": "keep"}, {"name": "drop"}],
        extras=[{"key": "k1", "value": "v1"}],
        groups=[{"name": group["name"]}],
    )


def revisions_count():
    return Revision.objects.count()


# ---------------------------------------------------------------- package_patch

def test_package_patch_changes_only_the_keys_given(api, alice, full):
    before = revisions_count()
    body = api("package_patch", alice, id=full["name"], title="Patched")
    assert body["success"] is True, body
    patched = body["result"]
    assert patched["title"] == "Patched"
    for key in ("resources", "tags", "extras", "groups"):
        assert [(r.get("id"), r.get("name")) for r in patched[key]] == [(r.get("id"), r.get("name")) for r in full[key]]
    assert patched["url"] == "http://example.com/home"
    assert revisions_count() == before + 1
    assert api("package_show", None, id=full["id"])["result"]["title"] == "Patched"


def test_package_patch_replaces_a_list_given(api, alice, full):
    patched = api("package_patch", alice, id=full["id"], tags=[{"name": "only"}])["result"]
    assert [t["name"] for t in patched["tags"]] == ["only"]
    assert len(patched["resources"]) == 2 and len(patched["extras"]) == 1


def test_package_patch_is_searchable(api, alice, full):
    word = "zqpatched" + "".join(chr(97 + b % 26) for b in os.urandom(6))
    api("package_patch", alice, id=full["id"], notes=word)
    found = api("package_search", None, q=word)["result"]
    assert [r["id"] for r in found["results"]] == [full["id"]]


def test_package_patch_needs_the_update_right(api, make_user, full):
    before = revisions_count()
    body = api("package_patch", None, id=full["id"], title="nope")
    assert body["error"]["__type"] == "Authorization Error"
    assert revisions_count() == before


def test_package_patch_unknown_dataset(api, alice):
    assert api("package_patch", alice, id="no-such-dataset", title="x")["error"]["__type"] == "Not Found Error"


# ---------------------------------------------------------------- resource_patch

def test_resource_patch_changes_only_the_keys_given(api, alice, full):
    res = full["resources"][0]
    before = revisions_count()
    patched = api("resource_patch", alice, id=res["id"], description="New words")["result"]
    assert (patched["description"], patched["url"], patched["format"]) == ("New words", res["url"], res["format"])
    assert revisions_count() == before + 1
    shown = api("package_show", None, id=full["id"])["result"]
    assert [r["description"] for r in shown["resources"]] == ["New words", full["resources"][1]["description"]]


def test_resource_patch_needs_the_update_right(api, full):
    body = api("resource_patch", None, id=full["resources"][0]["id"], description="x")
    assert body["error"]["__type"] == "Authorization Error"


# ---------------------------------------------------------------- group_patch

def test_group_patch_keeps_datasets_and_extras(api, alice, full, sysadmin):
    group = full["groups"][0]
    api("group_patch", sysadmin, id=group["name"], extras=[{"key": "e", "value": "1"}])
    before = revisions_count()
    patched = api("group_patch", alice, id=group["name"], title="Patched group")["result"]
    assert patched["title"] == "Patched group"
    assert [p["id"] for p in patched["packages"]] == [full["id"]]
    assert [(e["key"], e["value"]) for e in patched["extras"]] == [("e", "1")]
    assert revisions_count() == before + 1


def test_group_patch_needs_the_update_right(api, full, make_user):
    body = api("group_patch", make_user(), id=full["groups"][0]["name"], title="x")
    assert body["error"]["__type"] == "Authorization Error"


# ---------------------------------------------------------------- purges

def test_dataset_purge_is_for_sysadmins_only(api, alice, full):
    body = api("dataset_purge", alice, id=full["id"])
    assert body["error"]["__type"] == "Authorization Error"
    assert Package.objects.filter(pk=full["id"]).exists()


def test_dataset_purge_removes_the_row_its_history_and_its_search_entry(api, alice, full, sysadmin):
    other = dataset(alice)
    call("package_relationship_create", alice, subject=other["name"], object=full["name"], type="depends_on")
    api("package_patch", alice, id=full["id"], title="Indexed")
    assert api("package_search", None, q=f"name:{full['name']}")["result"]["count"] == 1
    resource_ids = [r["id"] for r in full["resources"]]
    body = api("dataset_purge", sysadmin, id=full["name"])
    assert body["success"] is True, body
    assert not Package.objects.filter(pk=full["id"]).exists()
    assert not Resource.objects.filter(pk__in=resource_ids).exists()
    assert not Revision.packages.through.objects.filter(package_id=full["id"]).exists()
    assert not Version.objects.filter(object_id__in=[full["id"], *resource_ids]).exists()
    assert not PackageRelationship.objects.filter(object_id=full["id"]).exists()
    assert api("package_show", sysadmin, id=full["id"])["error"]["__type"] == "Not Found Error"
    assert api("package_search", None, q=f"name:{full['name']}")["result"]["count"] == 0
    # the partner's dict no longer lists the relationship
    assert api("package_show", None, id=other["id"])["result"]["relationships_as_subject"] == []


def test_group_purge_removes_the_group_and_updates_its_datasets(api, alice, full, sysadmin):
    group = full["groups"][0]
    assert api("group_purge", alice, id=group["id"])["error"]["__type"] == "Authorization Error"
    body = api("group_purge", sysadmin, id=group["name"])
    assert body["success"] is True, body
    assert not Group.objects.filter(pk=group["id"]).exists()
    assert not Member.objects.filter(group_id=group["id"]).exists()
    assert not Revision.groups.through.objects.filter(group_id=group["id"]).exists()
    assert api("package_show", None, id=full["id"])["result"]["groups"] == []
    found = api("package_search", None, q=f"name:{full['name']}", **{"facet.field": ["groups"]})["result"]
    assert found["count"] == 1 and found["results"][0]["groups"] == []
    assert api("group_show", sysadmin, id=group["id"])["error"]["__type"] == "Not Found Error"


# ---------------------------------------------------------------- described

def test_new_actions_are_described_and_helped(client):
    description = client.get("/api/openapi.json").json()
    for name in ("package_patch", "resource_patch", "group_patch", "dataset_purge", "group_purge"):
        item = description["paths"][f"/api/3/action/{name}"]
        assert item["post"]["description"], name
        resp = client.post(f"/api/action/{name}", data="{}", content_type="application/json")
        assert resp.json()["help"] == item["post"]["description"]
