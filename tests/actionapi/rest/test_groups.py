"""Model API group register and entity, over HTTP."""
import pytest

from tests.actionapi.rest.conftest import unique
from tests.querycount import counted

pytestmark = pytest.mark.django_db

V1, V2 = "/api/1/rest", "/api/2/rest"


def refs(group):
    return group.get("packages", group.get("datasets"))


def test_create_is_201_with_location(api, alice):
    name = unique("grp")
    resp = api.post("/api/rest/group", {"name": name, "title": "G"}, alice)
    assert resp.status_code == 201
    assert resp["Location"].endswith(f"/api/rest/group/{name}")
    assert api.get(f"/api/rest/group/{name}").json()["title"] == "G"


def test_register_lists_names_in_v1_and_ids_in_v2(api, alice):
    group = api.create_group(alice)
    assert group["name"] in api.get(f"{V1}/group").json()
    assert group["id"] in api.get(f"{V2}/group").json()


def test_datasets_by_name_in_v1_and_id_in_v2(api, alice):
    dataset = api.create_dataset(alice)
    group = api.create_group(alice, packages=[dataset["name"]])
    assert refs(api.get(f"{V1}/group/{group['name']}").json()) == [dataset["name"]]
    assert refs(api.get(f"{V2}/group/{group['id']}").json()) == [dataset["id"]]


def test_update_keeps_datasets_unless_given(api, alice):
    first, second = api.create_dataset(alice), api.create_dataset(alice)
    group = api.create_group(alice, packages=[first["name"]])
    assert api.put(f"/api/rest/group/{group['name']}", {"title": "T2"}, alice).status_code == 200
    got = api.get(f"/api/rest/group/{group['name']}").json()
    assert (got["title"], refs(got)) == ("T2", [first["name"]])
    assert api.post(f"/api/rest/group/{group['name']}", {"packages": [second["name"]]}, alice).status_code == 200
    assert refs(api.get(f"/api/rest/group/{group['name']}").json()) == [second["name"]]


def test_errors(api, alice, bob):
    group = api.create_group(alice)
    assert api.post("/api/rest/group", {"name": group["name"]}, alice).status_code == 409
    assert api.post("/api/rest/group", {"name": unique("grp")}).status_code == 403
    assert api.put(f"/api/rest/group/{group['name']}", {"title": "x"}, bob).status_code == 403
    assert api.get("/api/rest/group/no-such-group").status_code == 404


def test_delete(api, alice):
    group = api.create_group(alice)
    assert api.delete(f"/api/rest/group/{group['name']}", alice).status_code == 200
    assert group["name"] not in api.get("/api/rest/group").json()


def test_register_query_count_is_fixed_whatever_its_size(api, alice):
    def make():
        return api.create_group(alice, packages=[api.create_dataset(alice)["name"]])

    made = [make() for _ in range(2)]
    few, resp = counted(lambda: api.get(f"{V2}/group"))
    assert sorted(resp.json()) == sorted(g["id"] for g in made)
    made += [make() for _ in range(10)]
    many, resp = counted(lambda: api.get(f"{V2}/group"))
    assert sorted(resp.json()) == sorted(g["id"] for g in made)
    assert few == many <= 5, (few, many)
