"""Real answers match /api/openapi.json: every write action run to success (tests/api_scenarios.py),
every read on the data it made, each answer checked against the description by schemathesis."""
import json

import pytest
import requests
import schemathesis
from django.test import Client
from schemathesis.core.transport import Response

from catalog.logic import registry
from tests.api_scenarios import SYSADMIN_ONLY, WRITE_ACTIONS, ApiScenario, ScenarioFailure, succeeded

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def schema():
    return schemathesis.openapi.from_dict(Client().get("/api/openapi.json").json())


def _template(schema, path):
    """The described path template `path` falls under (the most literal one wins)."""
    parts = path.split("?")[0].strip("/").split("/")
    candidates = []
    for template in schema.raw_schema["paths"]:
        pieces = template.strip("/").split("/")
        if len(pieces) == len(parts) and all(p == q or p.startswith("{") for p, q in zip(pieces, parts)):
            candidates.append((sum(p.startswith("{") for p in pieces), template))
    assert candidates, f"{path} is not described"
    return min(candidates)[1]


def checked_sender(schema, keys):
    """send(role, method, path, body) through Django's test client; every answer validated."""
    clients = {role: Client(HTTP_AUTHORIZATION=key) for role, key in keys.items()}

    def send(role, method, path, body=None):
        client = clients[role]
        data = json.dumps(body) if body is not None else ""
        response = getattr(client, method.lower())(path, data, content_type="application/json")
        operation = schema[_template(schema, path)][method]
        prepared = requests.Request(method, "http://testserver" + path).prepare()  # what the validator reports
        operation.validate_response(Response(
            status_code=response.status_code,
            headers={key: [value] for key, value in response.headers.items()},
            content=response.content, request=prepared, elapsed=0.0, verify=True,
        ))
        return response.status_code, response.json()

    return send


@pytest.fixture
def people(sysadmin, make_user):
    return {"sysadmin": sysadmin, "user": make_user(), "other": make_user()}


def test_every_write_action_succeeds_as_sysadmin_and_as_user_and_matches_its_schema(schema, people):
    scenario = ApiScenario(checked_sender(schema, {role: user.apikey for role, user in people.items()}))
    calls = scenario.run(people["sysadmin"].name, people["user"].name, people["other"].name)
    counts = succeeded(calls)
    for action in WRITE_ACTIONS:
        assert counts.get((action, "sysadmin")), f"{action} never succeeded as a sysadmin"
        if action not in SYSADMIN_ONLY:
            assert counts.get((action, "user")), f"{action} never succeeded as an ordinary user"
    assert set(WRITE_ACTIONS) == {name for name in registry.action_names() if not registry.is_read_only(name)}


def test_every_read_matches_its_schema(schema, people):
    send = checked_sender(schema, {role: user.apikey for role, user in people.items()})
    scenario = ApiScenario(send)
    dataset = scenario.action("user", "package_create", {
        "name": "read-me", "tags": [{"name": "words"}], "extras": [{"key": "k", "value": "v"}],
        "resources": [{"url": "http://example.org/r.csv", "format": "CSV"}],
    })
    scenario.action("user", "package_create", {"name": "read-other",
                                               "relationships_as_subject": [{"object": "read-me", "type": "child_of"}]})
    group = scenario.action("sysadmin", "group_create", {"name": "read-group", "packages": [{"name": "read-me"}]})
    scenario.action("user", "rating_create", {"package": "read-me", "rating": 5})
    revision = scenario.action("sysadmin", "revision_list", {})[0]
    bodies = {
        "package_show": {"id": "read-me"}, "package_show_rest": {"id": "read-me"},
        "resource_show": {"id": dataset["resources"][0]["id"]},
        "package_revision_list": {"id": "read-me"}, "revision_show": {"id": revision},
        "package_relationships_list": {"id": "read-other"},
        "package_autocomplete": {"q": "read"}, "format_autocomplete": {"q": "cs"},
        "group_show": {"id": group["name"]}, "group_show_rest": {"id": group["name"]},
        "group_package_show": {"id": group["name"]}, "group_revision_list": {"id": group["name"]},
        "group_list_available": {"id": "read-me"},
        "tag_list": {"all_fields": True}, "tag_show": {"id": "words"}, "tag_show_rest": {"id": "words"},
        "tag_search": {"query": "wor"}, "tag_autocomplete": {"q": "wo"},
        "user_list": {"q": people["user"].name}, "user_show": {"id": people["user"].name},
        "user_autocomplete": {"q": "user"}, "roles_show": {"domain_object": "read-me"},
        "package_search": {"q": "read", "facet.field": ["tags"]},
        "resource_search": {"fields": {"format": "csv"}},
        "group_list": {"all_fields": True}, "current_package_list_with_resources": {"limit": 5},
    }
    for name in registry.action_names():
        if registry.is_read_only(name):
            for role in ("sysadmin", "user"):
                scenario.action(role, name, bodies.get(name, {}))
    for path in ("/api/rest/dataset", "/api/2/rest/dataset/read-me", "/api/rest/dataset/read-me",
                 "/api/rest/group/read-group", "/api/2/rest/group", "/api/rest/tag", "/api/rest/tag/words",
                 "/api/rest/dataset/read-other/relationships", "/api/rest/dataset/read-me/revisions",
                 "/api/rest/revision", f"/api/rest/revision/{revision}", "/api/rest/licenses",
                 "/api/util/status", "/api/util/dataset/autocomplete?incomplete=read",
                 "/api/util/tag/autocomplete?incomplete=wo", "/api/util/is_slug_valid?slug=x1&type=package",
                 "/api/search/dataset?q=read", "/api/3/search/dataset?q=read", "/api/tag_counts", "/api/2"):
        status, _ = send("user", "GET", path)
        assert status == 200, path


def test_errors_match_their_schemas(schema, people):
    send = checked_sender(schema, {role: user.apikey for role, user in people.items()})
    scenario = ApiScenario(send)
    status, body = send("user", "POST", "/api/3/action/package_create", {"name": "Not A Name", "tags": "x"})
    assert status == 200 and body["error"]["__type"] == "Validation Error" and "name" in body["error"]
    status, body = send("user", "POST", "/api/3/action/package_show", {"id": "missing"})
    assert body["error"]["__type"] == "Not Found Error"
    status, body = send("user", "POST", "/api/rest/dataset", {"name": "x"})
    assert status == 409 and "name" in body
    status, _ = send("user", "GET", "/api/rest/dataset/missing")
    assert status == 404
    with pytest.raises(ScenarioFailure):
        scenario.action("user", "dataset_purge", {"id": "missing"})


def test_a_result_that_breaks_its_schema_is_caught(schema, people, monkeypatch):
    # The check that guards every test above: an answer missing a described key fails validation.
    from catalog import changes

    original = changes.package_dictize
    monkeypatch.setattr(changes, "package_dictize",
                        lambda *args: {k: v for k, v in original(*args).items() if k != "ratings_count"})
    send = checked_sender(schema, {role: user.apikey for role, user in people.items()})
    with pytest.raises(Exception, match="Response violates schema"):
        ApiScenario(send).action("user", "package_create", {"name": "broken-answer"})
