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


def test_browsable_pages_are_the_sites_and_offer_no_write_a_browser_cannot_make(api, alice, client):
    """A browser sends no API key, so no DELETE/PUT/POST form or button; the page says how to send one."""
    dataset = api.create_dataset(alice)
    client.force_login(alice)  # even logged in to the site: the API does not read the session
    for path in (f"/api/rest/dataset/{dataset['name']}", "/api/rest/dataset", "/api/rest/group"):
        html = client.get(path, HTTP_ACCEPT=HTML).content.decode()
        assert "ckansite" in html and "Django REST framework" not in html, path
        assert 'data-method="DELETE"' not in html and ">DELETE<" not in html, path
        assert 'data-method="PUT"' not in html and 'method="POST"' not in html, path
        assert 'id="api-key-note"' in html and "X-CKAN-API-Key" in html and "Authorization" in html, path
    html = client.get(f"/api/rest/dataset/{dataset['name']}", HTTP_ACCEPT=HTML).content.decode()
    url = f"http://testserver/api/rest/dataset/{dataset['name']}"
    assert f"curl -X DELETE -H &#x27;X-CKAN-API-Key: YOUR-API-KEY&#x27; {url}" in html
    assert "curl -X PUT -H &#x27;X-CKAN-API-Key: YOUR-API-KEY&#x27; -d &#x27;{&quot;title&quot;" in html
    listing = client.get("/api/rest/dataset", HTTP_ACCEPT=HTML).content.decode()
    assert "curl -X POST -H &#x27;X-CKAN-API-Key: YOUR-API-KEY&#x27; -d &#x27;{&quot;name&quot;" in listing
    assert "-X DELETE" not in listing


def test_the_curl_line_a_browsable_page_shows_works(api, alice, client):
    """The page's DELETE line, run with a real key, deletes: the note tells the truth."""
    import html as html_lib
    import re
    import shlex

    dataset = api.create_dataset(alice)
    page = client.get(f"/api/rest/dataset/{dataset['name']}", HTTP_ACCEPT=HTML).content.decode()
    line = next(ln for ln in html_lib.unescape(re.search(r'<pre id="curl-examples">(.*?)</pre>', page, re.S).group(1)).splitlines()
                if "-X DELETE" in ln)
    args = shlex.split(line.replace("YOUR-API-KEY", alice.apikey))
    header_name, key = args[args.index("-H") + 1].split(": ")
    url = args[-1].removeprefix("http://testserver")
    resp = client.delete(url, **{"HTTP_" + header_name.upper().replace("-", "_"): key})
    assert resp.status_code == 200
    assert api.get(f"/api/rest/dataset/{dataset['name']}", alice).json()["state"] == "deleted"
