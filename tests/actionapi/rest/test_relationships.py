"""Model API dataset relationships: the three registers and the entity, over HTTP."""
import pytest

pytestmark = pytest.mark.django_db

INVERSE = {
    "depends_on": "dependency_of", "dependency_of": "depends_on",
    "derives_from": "has_derivation", "has_derivation": "derives_from",
    "child_of": "parent_of", "parent_of": "child_of",
    "links_to": "linked_from", "linked_from": "links_to",
}


@pytest.fixture
def pair(api, alice):
    return api.create_dataset(alice), api.create_dataset(alice)


def rels(api, path):
    resp = api.get(path)
    assert resp.status_code == 200, resp.content
    return sorted((r["subject"], r["type"], r["object"], r.get("comment")) for r in resp.json())


@pytest.mark.parametrize(
    "suffix, body",
    [
        ("{t}/{b}", {"comment": "c"}),
        ("relationships", {"type": "{t}", "object": "{b}", "comment": "c"}),
        ("{t}", {"object": "{b}", "comment": "c"}),
        ("relationships/{b}", {"type": "{t}", "comment": "c"}),
    ],
)
def test_create_at_all_four_locations(api, alice, pair, suffix, body):
    a, b = pair
    fill = {"t": "child_of", "b": b["name"]}
    body = {k: v.format(**fill) for k, v in body.items()}
    resp = api.post(f"/api/rest/dataset/{a['name']}/" + suffix.format(**fill), body, alice)
    assert resp.status_code == 201, resp.content
    assert rels(api, f"/api/rest/dataset/{a['name']}/relationships") == [(a["name"], "child_of", b["name"], "c")]


@pytest.mark.parametrize("rel_type", sorted(INVERSE))
def test_every_type_seen_from_both_sides(api, alice, pair, rel_type):
    a, b = pair
    api.post(f"/api/rest/dataset/{a['name']}/{rel_type}/{b['name']}", {"comment": ""}, alice)
    assert rels(api, f"/api/rest/dataset/{a['name']}/relationships") == [(a["name"], rel_type, b["name"], "")]
    assert rels(api, f"/api/rest/dataset/{b['name']}/relationships") == [(b["name"], INVERSE[rel_type], a["name"], "")]


def test_v2_uses_ids(api, alice, pair):
    a, b = pair
    api.post(f"/api/2/rest/dataset/{a['id']}/links_to/{b['id']}", {"comment": ""}, alice)
    assert rels(api, f"/api/2/rest/dataset/{a['id']}/relationships") == [(a["id"], "links_to", b["id"], "")]


def test_filters_entity_update_and_delete(api, alice, pair):
    a, b = pair
    c = api.create_dataset(alice)
    api.post(f"/api/rest/dataset/{a['name']}/child_of/{b['name']}", {"comment": "x"}, alice)
    api.post(f"/api/rest/dataset/{a['name']}/links_to/{c['name']}", {"comment": "y"}, alice)
    assert rels(api, f"/api/rest/dataset/{a['name']}/relationships/{b['name']}") == [(a["name"], "child_of", b["name"], "x")]
    assert rels(api, f"/api/rest/dataset/{a['name']}/links_to") == [(a["name"], "links_to", c["name"], "y")]
    assert api.get(f"/api/rest/dataset/{a['name']}/links_to/{b['name']}").status_code == 404
    entity = f"/api/rest/dataset/{a['name']}/child_of/{b['name']}"
    resp = api.put(entity, {"comment": "new", "type": "cat", "object": "Matilda"}, alice)
    assert resp.status_code == 200, resp.content
    assert rels(api, entity) == [(a["name"], "child_of", b["name"], "new")]
    assert api.delete(entity, alice).status_code == 200
    assert rels(api, f"/api/rest/dataset/{a['name']}/relationships/{b['name']}") == []


def test_errors(api, alice, pair):
    a, b = pair
    assert api.post(f"/api/rest/dataset/{a['name']}/unheard_of/{b['name']}", {"comment": ""}, alice).status_code == 409
    assert api.post(f"/api/rest/dataset/{a['name']}/child_of/{b['name']}", {"comment": ""}).status_code == 403
    assert api.get("/api/rest/dataset/no-such-dataset/relationships").status_code == 404
    assert api.post(f"/api/rest/dataset/{a['name']}/relationships", {"comment": ""}, alice).status_code == 409


def test_dataset_get_lists_relationships(api, alice, pair):
    a, b = pair
    api.post(f"/api/rest/dataset/{a['name']}/child_of/{b['name']}", {"comment": "l"}, alice)
    got = api.get(f"/api/2/rest/dataset/{a['id']}").json()["relationships"]
    assert [(r["subject"], r["type"], r["object"]) for r in got] == [(a["id"], "child_of", b["id"])]
