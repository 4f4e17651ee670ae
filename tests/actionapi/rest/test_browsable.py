"""DRF's browsable API for browsers (Accept: text/html) on every kind of REST endpoint."""
import pytest

pytestmark = pytest.mark.django_db

HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_every_get_renders_as_html_for_browsers(api, alice, client):
    a, b = api.create_dataset(alice, tags=["browse"]), api.create_dataset(alice)
    group = api.create_group(alice, packages=[a["name"]])
    api.post(f"/api/rest/dataset/{a['name']}/child_of/{b['name']}", {"comment": ""}, alice)
    # (path, status, a text the JSON answer holds and so must the page)
    pages = [
        ("/api/rest/dataset", 200, a["name"]),
        (f"/api/rest/dataset/{a['name']}", 200, a["id"]),
        (f"/api/2/rest/dataset/{a['id']}/relationships", 200, "child_of"),
        (f"/api/rest/dataset/{a['name']}/child_of/{b['name']}", 200, b["name"]),
        (f"/api/rest/dataset/{a['name']}/revisions", 200, a["revision_id"]),
        ("/api/rest/group", 200, group["name"]),
        (f"/api/rest/group/{group['name']}", 200, group["id"]),
        ("/api/rest/tag", 200, "browse"),
        ("/api/rest/tag/browse", 200, a["name"]),
        ("/api/rest/revision", 200, a["revision_id"]),
        (f"/api/rest/revision/{a['revision_id']}", 200, a["name"]),
        ("/api/rest/licenses", 200, "notspecified"),
        ("/api/2/util/dataset/autocomplete?incomplete=ds", 200, a["name"]),
        ("/api/util/markdown?q=*x*", 200, "&lt;em&gt;x&lt;/em&gt;"),
        ("/api/rest/dataset/no-such-dataset", 404, "Dataset not found: no-such-dataset"),
    ]
    for path, status, shown in pages:
        resp = client.get(path, HTTP_ACCEPT=HTML, HTTP_AUTHORIZATION=alice.apikey)
        assert resp.status_code == status, path
        assert resp["Content-Type"].startswith("text/html"), path
        page = resp.content.decode()
        assert "<html" in page.lower(), path
        assert shown in page, (path, shown)
