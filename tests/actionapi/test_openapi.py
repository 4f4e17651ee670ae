"""The OpenAPI description (actionapi/openapi.py) lists exactly the API's routes."""
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
