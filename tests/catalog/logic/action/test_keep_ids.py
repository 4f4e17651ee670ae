"""What a catalog dump needs to load elsewhere: sysadmins keep ids, group references by id or name,
relationships to datasets not loaded yet. Over the Action API."""
import json
import uuid

import pytest

from catalog.models import Group, Package, Resource
from tests.catalog.logic.factories import call

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    def post(action, user=None, **data):
        headers = {"HTTP_AUTHORIZATION": user.apikey} if user is not None else {}
        return client.post(f"/api/action/{action}", data=json.dumps(data), content_type="application/json",
                           **headers).json()

    return post


def test_a_sysadmin_keeps_the_ids_of_a_dataset_and_its_resources(api, sysadmin):
    dataset_id, resource_id = str(uuid.uuid4()), str(uuid.uuid4())
    body = api("package_create", sysadmin, id=dataset_id, name="kept-id",
               resources=[{"id": resource_id, "url": "http://example.com/x.csv"}])
    assert body["success"] is True, body
    assert body["result"]["id"] == dataset_id
    assert body["result"]["resources"][0]["id"] == resource_id
    assert Package.objects.get(pk=dataset_id).name == "kept-id"


def test_a_sysadmin_keeps_a_resource_id_in_resource_create(api, sysadmin):
    created = api("package_create", sysadmin, name="res-host")["result"]
    resource_id = str(uuid.uuid4())
    body = api("resource_create", sysadmin, package_id=created["id"], id=resource_id, url="http://example.com/r")
    assert body["result"]["id"] == resource_id


def test_others_may_not_choose_ids(api, make_user):
    user = make_user()
    chosen = str(uuid.uuid4())
    body = api("package_create", user, id=chosen, name="not-kept")
    assert body["error"]["id"] == ["The input field id was not expected."]
    body = api("group_create", user, id=chosen, name="not-kept")
    assert body["error"]["id"] == ["Cannot specify the id of a new object"]
    host = api("package_create", user, name="not-kept-host")["result"]
    body = api("resource_create", user, package_id=host["id"], id=chosen, url="http://example.com/r")
    assert body["error"]["id"] == ["Cannot specify the id of a new object"]
    assert not Package.objects.filter(pk=chosen).exists() and not Resource.objects.filter(pk=chosen).exists()


@pytest.mark.parametrize("bad, message", [("not-a-uuid", "Must be a UUID"), ("taken", "That id is already in use")])
def test_a_kept_id_must_be_a_free_uuid(api, sysadmin, bad, message):
    existing = api("package_create", sysadmin, name="holder")["result"]
    group = api("group_create", sysadmin, name="holder-group")["result"]
    for action, taken in (("package_create", existing["id"]), ("group_create", group["id"])):
        body = api(action, sysadmin, id=taken if bad == "taken" else bad, name="another")
        assert body["error"]["id"] == [message], (action, body)


def test_a_sysadmin_keeps_group_and_user_ids(api, sysadmin):
    group_id, user_id = str(uuid.uuid4()), str(uuid.uuid4())
    assert api("group_create", sysadmin, id=group_id, name="kept-group")["result"]["id"] == group_id
    body = api("user_create", sysadmin, id=user_id, name="kept-user", email="k@example.com", password="pass1234")
    assert body["result"]["id"] == user_id


def test_a_user_moves_with_the_password_hash(api, sysadmin, client):
    api("user_create", sysadmin, name="mover", email="m@example.com", password="secret-pw")
    shown = api("user_show", sysadmin, id="mover", include_password_hash=True)["result"]
    assert shown["password_hash"].count("$") >= 2
    assert "password_hash" not in api("user_show", sysadmin, id="mover")["result"]
    call("user_update", sysadmin, {"id": "mover", "email": "m@example.com", "name": "moved-away"})
    body = api("user_create", sysadmin, name="mover", email="m@example.com", password_hash=shown["password_hash"])
    assert body["success"] is True, body
    # the login page (through the login throttling backend, which needs a request) takes the old password
    client.post("/user/login", {"username": "mover", "password": "secret-pw"})
    assert client.session.get("_auth_user_id")
    # a hash this site cannot read as a login would is refused
    for bad in ("pbkdf2_sha256$broken", "not a hash", 12):
        body = api("user_create", sysadmin, name="badhash", email="b@example.com", password_hash=bad)
        assert body["error"]["password_hash"], (bad, body)
    # only a sysadmin may give a hash; others still need a password
    body = api("user_create", None, name="other", email="o@example.com", password_hash=shown["password_hash"])
    assert body["success"] is False


def test_a_group_reference_resolves_by_id_else_by_name(api, sysadmin):
    group = api("group_create", sysadmin, name="by-name")["result"]
    other = api("group_create", sysadmin, name="by-id")["result"]
    # the id of another site: unknown here, so the name finds the group
    created = api("package_create", sysadmin, name="grouped",
                  groups=[{"id": str(uuid.uuid4()), "name": "by-name"}])["result"]
    assert [g["id"] for g in created["groups"]] == [group["id"]]
    # a known id wins over the name
    updated = api("package_update", sysadmin, id="grouped", groups=[{"id": other["id"], "name": "by-name"}])["result"]
    assert [g["id"] for g in updated["groups"]] == [other["id"]]
    missing = api("package_create", sysadmin, name="nowhere", groups=[{"id": str(uuid.uuid4()), "name": "nope"}])
    assert missing["error"]["__type"] == "Not Found Error"


def test_a_relationship_to_a_dataset_not_loaded_yet(api, sysadmin):
    first = api("package_create", sysadmin, name="loaded-first",
                relationships_as_subject=[{"object": "loaded-later", "type": "depends_on"}])
    assert first["success"] is True, first
    assert first["result"]["relationships_as_subject"] == []
    assert "loaded-later" in first["result"]["warnings"]["relationships_as_subject"][0]
    assert "warnings" not in api("package_show", None, id="loaded-first")["result"]
    # the partner, loaded later, lists the same relationship from its side and makes it
    later_body = api("package_create", sysadmin, name="loaded-later",
                relationships_as_object=[{"subject": "loaded-first", "type": "depends_on"}])
    later = later_body["result"]
    assert "warnings" not in later
    shown = api("package_show", None, id="loaded-first")["result"]
    assert [(r["object_package_id"], r["type"]) for r in shown["relationships_as_subject"]] == [
        (later["id"], "depends_on")]


def test_group_show_can_leave_the_datasets_out(api, sysadmin):
    group = api("group_create", sysadmin, name="with-datasets")["result"]
    api("package_create", sysadmin, name="member", groups=[{"name": "with-datasets"}])
    assert len(api("group_show", None, id=group["id"])["result"]["packages"]) == 1
    assert "packages" not in api("group_show", None, id=group["id"], include_datasets=False)["result"]
    assert Group.objects.filter(pk=group["id"]).exists()
