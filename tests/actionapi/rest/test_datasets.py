"""Model API dataset register and entity (actionapi/rest/views.py), over HTTP."""
import json
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.actionapi.rest.conftest import unique
from tests.querycount import counted

pytestmark = pytest.mark.django_db

V1, V2 = "/api/1/rest", "/api/2/rest"


@pytest.mark.parametrize("base", ["/api/rest", V1, V2])
def test_register_lists_names_in_v1_and_ids_in_v2(api, alice, base):
    dataset = api.create_dataset(alice)
    listing = api.get(f"{base}/dataset").json()
    expected, other = (dataset["id"], dataset["name"]) if base == V2 else (dataset["name"], dataset["id"])
    assert expected in listing and other not in listing


def test_package_is_an_alias(api, alice):
    dataset = api.create_dataset(alice, base="/api/rest")
    assert dataset["name"] in api.get("/api/rest/package").json()
    assert api.get(f"/api/rest/package/{dataset['name']}").json()["id"] == dataset["id"]


@pytest.mark.parametrize("base, ref_key", [("/api/rest", "name"), (V2, "id")])
def test_create_is_201_with_a_location_that_resolves(api, alice, base, ref_key):
    name = unique()
    resp = api.post(f"{base}/dataset", {"name": name, "title": "T"}, alice)
    assert resp.status_code == 201
    assert resp["Content-Type"] == "application/json"
    body = resp.json()
    assert resp["Location"].endswith(f"{base}/dataset/{body[ref_key]}")
    assert resp["Location"].startswith("http")
    assert api.get(resp["Location"].split("testserver", 1)[1]).json()["name"] == name


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("application/x-www-form-urlencoded", lambda d: quote(json.dumps(d)) + "=1"),
        ("application/x-www-form-urlencoded", lambda d: json.dumps(d)),
        ("text/plain", lambda d: json.dumps(d)),
    ],
)
def test_create_accepts_old_client_encodings(api, alice, content_type, body):
    name = unique()
    resp = api.post("/api/rest/dataset", body({"name": name}), alice, content_type=content_type)
    assert resp.status_code == 201, resp.content
    assert api.get(f"/api/rest/dataset/{name}").status_code == 200


@pytest.mark.parametrize("raw", ['{"name": "half', "", "[1, 2]", "null", '"a string"', "\xff"])
def test_unreadable_bodies_are_400_with_a_message(api, alice, raw):
    resp = api.post("/api/rest/dataset", raw.encode("latin-1"), alice)
    assert resp.status_code == 400
    assert resp.json()["message"]


def test_validation_errors_are_409_naming_the_field(api, alice):
    dataset = api.create_dataset(alice)
    for body in ({"name": dataset["name"]}, {"name": "Bad Name"}, {"title": "no name"}):
        resp = api.post("/api/rest/dataset", body, alice)
        assert resp.status_code == 409, body
        assert "name" in resp.json()


def test_create_without_a_key_is_403_and_with_a_wrong_key_too(api, client):
    assert api.post("/api/rest/dataset", {"name": unique()}).status_code == 403
    resp = client.post("/api/rest/dataset", data=json.dumps({"name": unique()}), content_type="application/json",
                       HTTP_AUTHORIZATION="not-a-key")
    assert resp.status_code == 403


def test_get_by_name_or_id_in_both_versions(api, alice):
    dataset = api.create_dataset(alice, notes="Some *notes*", resources=[{"url": "http://example.com/d"}])
    for base in ("/api/rest", V1, V2):
        for ref in (dataset["name"], dataset["id"]):
            got = api.get(f"{base}/dataset/{ref}").json()
            assert got["id"] == dataset["id"]
    v1 = api.get(f"{V1}/dataset/{dataset['name']}").json()
    v2 = api.get(f"{V2}/dataset/{dataset['name']}").json()
    assert "download_url" in v1 and "download_url" not in v2
    assert "<em>notes</em>" in v1["notes_rendered"]
    assert v1["ckan_url"].endswith(f"/dataset/{dataset['name']}")


def test_unknown_dataset_is_404(api, alice):
    assert api.get("/api/rest/dataset/no-such-dataset").status_code == 404
    assert api.post("/api/rest/dataset/no-such-dataset", {"title": "x"}, alice).status_code == 404
    assert api.delete("/api/rest/dataset/no-such-dataset", alice).status_code == 404


@pytest.mark.parametrize("method", ["put", "post"])
def test_update_is_partial_by_put_or_post(api, alice, method):
    dataset = api.create_dataset(alice, notes="keep", extras={"a": "1"})
    resp = api.send(method, f"/api/rest/dataset/{dataset['id']}", {"title": "New"}, alice)
    assert resp.status_code == 200
    got = api.get(f"/api/rest/dataset/{dataset['name']}").json()
    assert (got["title"], got["notes"], got["extras"]) == ("New", "keep", {"a": "1"})


@pytest.mark.parametrize("base", [V1, V2])
def test_a_read_can_be_posted_back(api, alice, base):
    dataset = api.create_dataset(alice, tags=["one"], resources=[{"url": "http://example.com/x"}])
    got = api.get(f"{base}/dataset/{dataset['id']}").json()
    resp = api.post(f"{base}/dataset/{dataset['id']}", got, alice)
    assert resp.status_code == 200, resp.content
    assert resp.json()["tags"] == ["one"]


def test_changing_the_id_is_409(api, alice):
    dataset = api.create_dataset(alice)
    got = api.get(f"/api/rest/dataset/{dataset['name']}").json()
    got["id"] = "changed"
    assert api.post(f"/api/rest/dataset/{dataset['name']}", got, alice).status_code == 409


def test_update_with_an_empty_body_is_400(api, alice):
    dataset = api.create_dataset(alice)
    assert api.put(f"/api/rest/dataset/{dataset['name']}", "", alice).status_code == 400


def test_delete_needs_admin_and_removes_from_register(api, alice, bob, sysadmin):
    dataset = api.create_dataset(alice)
    assert api.delete(f"/api/rest/dataset/{dataset['name']}").status_code == 403
    assert api.delete(f"/api/rest/dataset/{dataset['name']}", bob).status_code == 403
    assert api.delete(f"/api/rest/dataset/{dataset['name']}", alice).status_code == 200
    assert dataset["name"] not in api.get("/api/rest/dataset").json()
    assert api.get(f"/api/rest/dataset/{dataset['name']}").status_code == 403
    assert api.get(f"/api/rest/dataset/{dataset['name']}", sysadmin).json()["state"] == "deleted"


def test_json_for_clients_html_for_browsers(api, alice, client):
    dataset = api.create_dataset(alice)
    resp = client.get(f"/api/rest/dataset/{dataset['name']}", HTTP_ACCEPT="application/xml")
    assert resp["Content-Type"] == "application/json"
    resp = client.get(f"/api/rest/dataset/{dataset['name']}", HTTP_ACCEPT="text/html")
    assert resp["Content-Type"].startswith("text/html") and dataset["name"] in resp.content.decode()


def test_no_trailing_slash_redirects(api):
    assert api.get("/api/rest/dataset/").status_code == 404


def test_method_not_allowed_is_405_json(api, alice):
    resp = api.delete("/api/rest/dataset", alice)
    assert resp.status_code == 405 and "GET" in resp["Allow"]
    assert resp.json()["message"]


def test_register_query_count_is_fixed_whatever_its_size(api, alice):
    def make(i):
        return api.create_dataset(alice, tags=[f"t{i}", "shared"], resources=[{"url": f"http://e.com/{i}"}] * 3)

    made = [make(i) for i in range(2)]
    few, resp = counted(lambda: api.get("/api/2/rest/dataset"))
    assert sorted(resp.json()) == sorted(d["id"] for d in made)
    made += [make(i) for i in range(2, 12)]
    many, resp = counted(lambda: api.get("/api/2/rest/dataset"))
    assert sorted(resp.json()) == sorted(d["id"] for d in made)
    assert few == many <= 4, (few, many)


@pytest.mark.parametrize("base", ["/api/rest", V2])
def test_entity_get_query_count_is_fixed(api, alice, base, django_assert_max_num_queries):
    small = api.create_dataset(alice)
    big = api.create_dataset(alice, tags=["aa", "bb", "cc"], resources=[{"url": "http://e.com/r"}] * 5,
                             extras={"x": "1", "y": "2"})
    other = api.create_dataset(alice)
    for target in (other, api.create_dataset(alice)):
        api.post(f"/api/rest/dataset/{big['name']}/links_to/{target['name']}", {"comment": ""}, alice)
    api.post("/api/rest/rating", {"package": big["name"], "rating": 4}, alice)
    counts = []
    for dataset in (small, big):
        with CaptureQueriesContext(connection) as queries:
            assert api.get(f"{base}/dataset/{dataset['id']}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[1] <= 15, counts


@pytest.mark.parametrize("resources", [["not an object"], [{"url": "http://e.com/ok"}, 42]])
def test_resources_that_are_not_objects_are_400(api, alice, resources):
    resp = api.post("/api/rest/dataset", {"name": unique(), "resources": resources}, alice)
    assert resp.status_code == 400, resp.content

