"""The dataset actions over HTTP: envelopes, errors, and no 500 whatever the body."""
import json

import pytest

pytestmark = pytest.mark.django_db

DATASET_ACTIONS = [
    "package_list", "current_package_list_with_resources", "revision_list", "package_revision_list",
    "package_relationships_list", "package_show", "revision_show", "package_show_rest", "resource_show",
    "package_autocomplete", "format_autocomplete", "package_create", "package_create_validate",
    "package_create_rest", "resource_create", "package_relationship_create", "rating_create",
    "make_latest_pending_package_active", "resource_update", "package_update", "package_update_validate",
    "package_update_rest", "package_relationship_update", "package_delete", "package_relationship_delete",
]
JUNK = [True, ["a", 1, None], {"nested": {"deep": [1, {}]}}, [{"key": {"a": 1}, "value": [1], "name": ["x"]}],
        "9" * 400]
KEYS = ["id", "id2", "rel", "name", "title", "version", "tags", "extras", "resources", "groups", "state", "limit",
        "page", "q", "package", "dataset", "rating", "subject", "object", "type", "comment", "package_id", "url",
        "size", "last_modified", "relationships_as_subject", "relationships_as_object", "log_message"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Users here never log in with a password: skip the deliberately slow hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def post(client, name, data, user=None):
    headers = {"HTTP_AUTHORIZATION": user.apikey} if user else {}
    return client.post(f"/api/action/{name}", data=json.dumps(data), content_type="application/json", **headers)


@pytest.fixture
def alice(make_user):
    return make_user()


@pytest.fixture
def pkg(client, alice):
    body = post(client, "package_create", {"name": "http-ds", "resources": [{"url": "http://x/1"}]}, alice).json()
    assert body["success"], body
    return body["result"]


def test_create_show_update_delete_over_http(client, alice, pkg):
    shown = post(client, "package_show", {"id": "http-ds"}).json()
    assert shown["success"] and shown["result"]["id"] == pkg["id"]
    assert "package" in shown["help"].lower() or "dataset" in shown["help"].lower()
    shown["result"]["title"] = "Über"
    updated = post(client, "package_update", shown["result"], alice).json()["result"]
    assert updated["title"] == "Über"
    assert post(client, "package_delete", {"id": pkg["id"]}, alice).json()["success"] is True


def test_errors_are_envelopes_naming_the_field(client, alice, pkg):
    error = post(client, "package_create", {"name": "http-ds"}, alice).json()["error"]
    assert (error["__type"], error["name"]) == ("Validation Error", ["That URL is already in use."])
    error = post(client, "package_create", {"name": "ok-name", "colour": "red"}, alice).json()["error"]
    assert error["colour"]
    assert post(client, "package_show", {"id": "missing"}).json()["error"]["__type"] == "Not Found Error"
    assert post(client, "package_create", {"name": "anon-ds"}).json()["error"]["__type"] == "Authorization Error"


def test_log_message_header_becomes_the_revision_message(client, alice):
    resp = client.post("/api/action/package_create", data=json.dumps({"name": "logged"}),
                       content_type="application/json", HTTP_AUTHORIZATION=alice.apikey,
                       HTTP_X_CKAN_LOG_MESSAGE="From the header")
    revision_id = resp.json()["result"]["revision_id"]
    shown = post(client, "revision_show", {"id": revision_id}).json()["result"]
    assert (shown["message"], shown["author"], shown["packages"]) == ("From the header", alice.name, ["logged"])


@pytest.mark.parametrize("action", DATASET_ACTIONS)
def test_no_body_gives_a_500(client, sysadmin, pkg, action):
    for key in KEYS:
        for value in JUNK:
            resp = post(client, action, {key: value}, sysadmin)
            assert resp.status_code < 500, (action, key, value, resp.content[:300])
            assert "success" in resp.json()


@pytest.mark.parametrize("action", ["package_create", "package_update", "package_update_rest", "package_create_rest"])
def test_junk_inside_a_valid_dataset_gives_no_500(client, sysadmin, pkg, action):
    """Each create takes a fresh name, so its junk field is what gets judged, never a taken name."""
    for i, (key, value) in enumerate((key, value) for key in KEYS for value in JUNK):
        data = {"id": pkg["id"], "name": "junk-target"} if "update" in action else {"name": f"junk-target-{i}"}
        data[key] = value
        resp = post(client, action, data, sysadmin)
        assert resp.status_code < 500, (action, key, value, resp.content[:300])
        body = resp.json()
        if not body["success"]:
            assert body["error"].get("name") != ["That URL is already in use."], (action, key, value, body)


def test_an_infinite_number_is_a_validation_error(client):
    resp = client.post("/api/action/current_package_list_with_resources", data='{"limit": 1e400}',
                       content_type="application/json")
    assert resp.json()["error"]["limit"]
