"""A client of the CKAN 1.6 era, end to end, sending exactly what such clients sent."""
import json
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"


def form_body(data):
    """The URL-encoded JSON text as the only form key, value 1 (CKAN 1.6's own tests)."""
    return quote(json.dumps(data)) + "=1"


def test_old_style_client_flow(client, alice):
    key = {"HTTP_AUTHORIZATION": alice.apikey}
    dataset = {
        "name": "old-client-flow",
        "title": "Old client",
        "tags": ["russian", "tolstoy"],
        "extras": {"genre": "romantic novel"},
        "resources": [{"url": "http://example.com/anna.epub", "format": "epub", "description": "Full text"}],
    }
    resp = client.post("/api/rest/dataset", data=form_body(dataset), content_type=FORM, **key)
    assert resp.status_code == 201, resp.content
    assert resp["Location"]

    v1 = client.get("/api/rest/dataset/old-client-flow").json()
    assert v1["name"] == "old-client-flow" and sorted(v1["tags"]) == ["russian", "tolstoy"]
    assert v1["download_url"] == "http://example.com/anna.epub"
    v2 = client.get(f"/api/2/rest/dataset/{v1['id']}").json()
    assert v2["id"] == v1["id"] and "download_url" not in v2

    v2["title"] = "Anna Karenina"
    v2["extras"]["edition"] = "first"
    resp = client.put(f"/api/2/rest/dataset/{v2['id']}", data=form_body(v2), content_type=FORM, **key)
    assert resp.status_code == 200, resp.content
    assert client.get("/api/rest/dataset/old-client-flow").json()["extras"] == {
        "genre": "romantic novel", "edition": "first"}

    other = {"name": "old-client-other"}
    assert client.post("/api/rest/dataset", data=form_body(other), content_type=FORM, **key).status_code == 201
    resp = client.post("/api/rest/dataset/old-client-flow/depends_on/old-client-other",
                       data=form_body({"comment": "needs it"}), content_type=FORM, **key)
    assert resp.status_code == 201, resp.content
    rels = client.get("/api/rest/dataset/old-client-flow/relationships").json()
    assert [(r["subject"], r["type"], r["object"]) for r in rels] == [
        ("old-client-flow", "depends_on", "old-client-other")]

    revisions = client.get("/api/rest/dataset/old-client-flow/revisions").json()
    assert len(revisions) >= 2 and revisions[0]["author"] == alice.name
    assert client.get(f"/api/rest/revision/{revisions[0]['id']}").json()["id"] == revisions[0]["id"]
