"""DRF's browsable API for browsers (Accept: text/html) on every kind of REST endpoint."""
import pytest

pytestmark = pytest.mark.django_db

HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_every_get_renders_as_html_for_browsers(api, alice, client):
    a, b = api.create_dataset(alice, tags=["browse"]), api.create_dataset(alice)
    group = api.create_group(alice, packages=[a["name"]])
    api.post(f"/api/rest/dataset/{a['name']}/child_of/{b['name']}", {"comment": ""}, alice)
    paths = [
        "/api/rest/dataset", f"/api/rest/dataset/{a['name']}", f"/api/2/rest/dataset/{a['id']}/relationships",
        f"/api/rest/dataset/{a['name']}/child_of/{b['name']}", f"/api/rest/dataset/{a['name']}/revisions",
        "/api/rest/group", f"/api/rest/group/{group['name']}", "/api/rest/tag", "/api/rest/tag/browse",
        "/api/rest/revision", f"/api/rest/revision/{a['revision_id']}", "/api/rest/licenses",
        "/api/2/util/dataset/autocomplete?incomplete=ds", "/api/util/markdown?q=*x*",
        "/api/rest/dataset/no-such-dataset",
    ]
    for path in paths:
        resp = client.get(path, HTTP_ACCEPT=HTML, HTTP_AUTHORIZATION=alice.apikey)
        assert resp.status_code in (200, 404), path
        assert resp["Content-Type"].startswith("text/html"), path
        assert b"<html" in resp.content.lower()
