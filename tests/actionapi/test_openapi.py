"""The OpenAPI description (actionapi/openapi.py) lists exactly the API's routes, with their schemas."""
import json
import re

import pytest

from actionapi.openapi import ACTION_ROUTES, api_routes
from catalog.logic import registry

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def description(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        resp = Client().get("/api/openapi.json")
    assert resp.status_code == 200
    return resp.json()


def test_is_openapi_3(description):
    assert description["openapi"].startswith("3.")


def test_is_a_valid_openapi_document(description):
    # What code generators need: openapi-spec-validator checks the document and every schema in it.
    from openapi_spec_validator import validate

    validate(description)


def test_an_invalid_schema_is_caught(description):
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    broken = json.loads(json.dumps(description))
    broken["components"]["schemas"]["Package"]["required"] = "name"
    with pytest.raises(OpenAPIValidationError):
        validate(broken)


def _documented_params(name):
    """The parameter names an action's docstring documents (`:param a, b:`)."""
    names = set()
    for match in re.finditer(r":param ([\w., ]+?):", registry.help_text(name)):
        names |= {part.strip().rstrip(".") for part in match.group(1).split(",")} - {""}
    return names


def test_every_documented_parameter_is_in_the_request_schema(description):
    for name in registry.action_names():
        schema = description["paths"][f"/api/3/action/{name}"]["post"]["requestBody"]["content"]["application/json"]
        assert _documented_params(name) <= set(schema["schema"].get("properties", {})), name


def test_write_actions_describe_their_fields_and_results(description):
    # No open object with no fields: schemathesis must be able to generate a valid write.
    schemas = description["components"]["schemas"]
    for name in registry.action_names():
        if registry.is_read_only(name):
            continue
        operation = description["paths"][f"/api/3/action/{name}"]["post"]
        request = operation["requestBody"]["content"]["application/json"]["schema"]
        assert request["properties"] and request["required"], name
        success = operation["responses"]["200"]["content"]["application/json"]["schema"]["oneOf"][0]
        assert success["properties"]["result"], name
    assert {"Package", "Resource", "Group", "User", "Tag", "RelationshipSeen", "Rating", "Revision",
            "RevisionDetail", "Error", "ActionFailure"} <= set(schemas)
    assert set(schemas["PackageInput"]["properties"]) >= {"name", "title", "resources", "tags", "extras", "groups"}


def test_model_api_operations_say_what_they_take_and_give(description):
    paths = description["paths"]
    create = paths["/api/2/rest/dataset"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"]["required"] == ["name"]
    assert create["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PackageRest"}
    assert "409" in paths["/api/rest/dataset/{ref}"]["put"]["responses"]


def test_every_api_route_is_described_and_nothing_else(description):
    described = set(description["paths"])
    expected = set(api_routes()) - {"/api/openapi.json", "/api/3/action/{name}"}
    expected |= {f"/api/3/action/{name}" for name in registry.action_names()}
    assert described == expected


def test_routes_are_spelled_as_the_urlconf_matches_them(description, client):
    # Each described path, with its parameters filled in, resolves to a view.
    from django.urls import resolve

    for path in description["paths"]:
        resolve(path.replace("{", "").replace("}", ""))


def test_one_operation_per_action_with_its_docstring(description):
    for name in registry.action_names():
        item = description["paths"][f"/api/3/action/{name}"]
        assert item["post"]["description"] == registry.help_text(name)
        assert ("get" in item) == registry.is_read_only(name)
    assert set(ACTION_ROUTES) & set(description["paths"]) == {"/api/action/{name}"}


def test_operation_ids_are_unique(description):
    ids = [op["operationId"] for item in description["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))


def test_model_api_methods(description):
    paths = description["paths"]
    assert set(paths["/api/2/rest/dataset"]) == {"get", "post"}
    assert set(paths["/api/rest/dataset/{ref}"]) == {"get", "put", "post", "delete"}
    assert set(paths["/api/1/rest/dataset/{ref}/{rel_type}/{other}"]) == {"get", "put", "post", "delete"}
    assert set(paths["/api/util/markdown"]) == {"get"}
