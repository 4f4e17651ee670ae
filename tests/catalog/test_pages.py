"""The pages where visitors find data without the API: /dataset, /tag, /group, user pages, errors, favicon.

Datasets are made through the actions with their after-commit indexing run,
as a request would; names and tags carry a word unique to the test, so the
tests hold on an index other tests share (Solr in CI).
"""
import os
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote

import pytest
from haystack import connections

from catalog.logic import new_context
from catalog.logic.registry import get_action
from catalog.templatetags.catalog_pages import human_text, human_time
from searchapi.backends import CkanWhooshSearchBackend

# `engine`: CI runs these again on PostgreSQL + Solr 9, where pages and API must agree just the same.
pytestmark = [pytest.mark.django_db, pytest.mark.engine]


def word():
    return "pg" + "".join(chr(ord("a") + b % 26) for b in os.urandom(8))


@pytest.fixture
def act(db, sysadmin, django_capture_on_commit_callbacks):
    """Run an action as the sysadmin, then its after-commit work (indexing), as a request would."""
    backend = connections["default"].get_backend()
    if isinstance(backend, CkanWhooshSearchBackend):
        backend.clear()

    def run(action, user=sysadmin, **data):
        with django_capture_on_commit_callbacks(execute=True):
            return get_action(action)(new_context(user=user), data)

    return run


@pytest.fixture
def catalog(act):
    """Three datasets under one unique word: two tagged `<w>-red` (one CSV in group `<w>-grp`), one `<w>-blue`."""
    w = word()
    act("group_create", name=f"{w}-grp", title=f"Group {w.upper()}")
    datasets = [
        act("package_create", name=f"{w}-one", title=f"One {w}", notes=f"about {w}", license_id="cc-by",
            tags=[{"name": f"{w}-red"}], groups=[{"name": f"{w}-grp"}],
            resources=[{"url": "http://example.com/1.csv", "format": "CSV"}]),
        act("package_create", name=f"{w}-two", title=f"Two {w}", notes=f"about {w}", license_id="odc-odbl",
            tags=[{"name": f"{w}-red"}], resources=[{"url": "http://example.com/2.json", "format": "JSON"}]),
        act("package_create", name=f"{w}-three", title=f"Three {w}", notes=f"about {w}", license_id="cc-by",
            tags=[{"name": f"{w}-blue"}]),
    ]
    return {"word": w, "datasets": datasets}


def names_on(html):
    return sorted(set(re.findall(r'<h3><a href="/dataset/([^"]+)"', html)))


def test_the_dataset_page_lists_what_package_search_answers(client, catalog):
    w = catalog["word"]
    resp = client.get("/dataset", {"q": w})
    assert resp.status_code == 200
    html = resp.content.decode()
    answer = get_action("package_search")(new_context(), {"q": w})
    assert names_on(html) == sorted(d["name"] for d in answer["results"]) == [f"{w}-one", f"{w}-three", f"{w}-two"]
    assert "3 datasets found" in html


def test_facets_narrow_the_list_and_link_to_each_other(client, catalog):
    w = catalog["word"]
    html = client.get("/dataset", {"q": w}).content.decode()
    # every facet the issue names is offered, with the group's title and the license's title
    for facet in ("tags", "groups", "res_format", "license_id"):
        assert f'id="facet-{facet}"' in html
    assert f"Group {w.upper()}" in html and "Creative Commons Attribution" in html
    red = re.search(rf'href="([^"]+)" data-value="{w}-red"', html).group(1).replace("&amp;", "&")
    narrowed = client.get(red).content.decode()
    assert names_on(narrowed) == [f"{w}-one", f"{w}-two"]
    # and the facets count within the narrowed list: one CSV, one JSON
    csv = re.search(r'href="([^"]+)" data-value="CSV"', narrowed).group(1).replace("&amp;", "&")
    assert names_on(client.get(csv).content.decode()) == [f"{w}-one"]
    # an active filter can be taken away again
    dropped = re.search(r'id="active-filters">\s*<li><a href="([^"]+)"', narrowed).group(1).replace("&amp;", "&")
    assert names_on(client.get(dropped).content.decode()) == [f"{w}-one", f"{w}-three", f"{w}-two"]


def test_filters_are_the_actions_fields(client, catalog):
    w = catalog["word"]
    resp = client.get("/dataset", {"q": w, "groups": f"{w}-grp", "license_id": "cc-by"})
    assert names_on(resp.content.decode()) == [f"{w}-one"]
    assert names_on(client.get("/dataset", {"tags": [f"{w}-red", f"{w}-blue"]}).content.decode()) == []


def test_paging_walks_every_dataset_once(client, act):
    w = word()
    for i in range(23):
        act("package_create", name=f"{w}-{i:02d}", tags=[{"name": w}])
    first = client.get("/dataset", {"tags": w, "sort": "name asc"}).content.decode()
    assert "Page 1 of 2" in first and 'id="page-previous"' not in first
    following = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    second = client.get(following).content.decode()
    assert "Page 2 of 2" in second and 'rel="next"' not in second
    assert names_on(first) + names_on(second) == [f"{w}-{i:02d}" for i in range(23)]
    beyond = client.get("/dataset", {"tags": w, "page": 9}).content.decode()
    assert names_on(beyond) == [] and "back to the first page" in beyond


@pytest.mark.parametrize("params, field", [
    ({"page": "x"}, "page"), ({"page": "0"}, "page"), ({"page": "99999999999"}, "page"), ({"sort": "secret desc"}, "sort"),
])
def test_a_bad_parameter_is_a_400_page_naming_it(client, db, params, field):
    resp = client.get("/dataset", params)
    assert resp.status_code == 400
    assert re.search(rf'id="search-error">{field}: ', resp.content.decode())


def test_a_query_the_engine_refuses_is_a_400_page(client, db):
    resp = client.get("/dataset", {"q": "title:(" * 200})
    assert resp.status_code == 400
    assert 'id="search-error"' in resp.content.decode()


def test_the_front_page_has_a_search_box_and_popular_tags(client, catalog):
    html = client.get("/").content.decode()
    assert 'action="/dataset"' in html and 'name="q"' in html
    # the most used tags, as package_search counts them (on a shared Solr core, maybe not this test's)
    facets = get_action("package_search")(new_context(), {"rows": 0, "facet.field": ["tags"], "facet.limit": 15})
    shown = [unquote(name) for name in re.findall(r'<li><a href="/tag/([^"]+)">', html[html.index('id="popular-tags"'):])]
    assert shown == list(facets["facets"]["tags"]) and shown
    assert 'href="/group"' in html and 'href="/dataset"' in html


def test_a_tag_page_lists_the_datasets_carrying_it(client, catalog):
    w = catalog["word"]
    resp = client.get(f"/tag/{w}-red")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert names_on(html) == [f"{w}-one", f"{w}-two"]
    assert f"Tag: {w}-red" in html
    assert client.get(f"/tag/{w}-none").status_code == 404
    assert client.get("/tag/%20").status_code == 404


def test_list_entries_link_formats_tags_license_and_groups(client, catalog):
    w = catalog["word"]
    html = client.get("/dataset", {"q": w, "groups": f"{w}-grp"}).content.decode()
    entry = html[html.index('<ul class="results"'):]
    for href in ("/dataset?res_format=CSV", f"/tag/{w}-red", "/dataset?license_id=cc-by", f"/group/{w}-grp"):
        assert f'href="{href}"' in entry, href


def test_dataset_pages_link_tags_formats_and_license(client, catalog):
    w = catalog["word"]
    html = client.get(f"/dataset/{w}-one").content.decode()
    assert f'href="/tag/{w}-red"' in html
    assert 'href="/dataset?res_format=CSV"' in html
    assert 'href="/dataset?license_id=cc-by"' in html
    assert 'href="/group/' in html


def test_dates_are_human_with_the_instant_in_a_time_element(client, catalog):
    w = catalog["word"]
    html = client.get(f"/dataset/{w}-one").content.decode()
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ" title="[^"]+ UTC">just now</time>', html)
    assert not re.search(r">\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+<", html)  # no raw ISO timestamps shown


def test_human_time_reads_recent_dates_as_distances_and_older_ones_as_dates():
    now = datetime(2026, 12, 1, 15, 0, tzinfo=timezone.utc)
    assert human_text(now - timedelta(hours=3, minutes=20), now) == "3\xa0hours ago"
    assert human_text(now - timedelta(seconds=5), now) == "just now"
    assert human_text(datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc), now) == "1 Nov 2026"
    assert 'datetime="2012-01-31T12:00:00Z"' in human_time("2012-01-31T12:00:00.000123")
    assert human_time(None) == "" and human_time("not a date") == "not a date"


def test_the_group_list_pages_through_the_groups(client, act):
    w = word()
    for i in range(23):
        act("group_create", name=f"{w}-{i:02d}", title=f"G {w} {i:02d}")
    first = client.get("/group").content.decode()
    assert first.count(f"G {w} ") == 20 and 'rel="next"' in first
    second = client.get("/group", {"page": 2}).content.decode()
    assert second.count(f"G {w} ") == 3 and 'rel="next"' not in second and 'href="?page=1"' in second
    assert client.get("/group", {"page": "-1"}).status_code == 400


def test_a_group_page_pages_through_its_datasets(client, act):
    w = word()
    act("group_create", name=w, title="Big group")
    for i in range(22):
        act("package_create", name=f"{w}-{i:02d}", groups=[{"name": w}])
    first = client.get(f"/group/{w}", {"sort": "name asc"}).content.decode()
    assert "Big group" in first and "Page 1 of 2" in first
    assert f'href="/group/{w}?sort=name+asc&amp;page=2"' in first  # the group stays in the path
    second = client.get(f"/group/{w}", {"sort": "name asc", "page": 2}).content.decode()
    assert names_on(first) + names_on(second) == [f"{w}-{i:02d}" for i in range(22)]


def test_a_user_page_lists_their_datasets_and_recent_edits(client, act, make_user):
    w = word()
    author = make_user(name=f"{w}-user")
    act("package_create", user=author, name=f"{w}-mine", title="Mine")
    html = client.get(f"/user/{author.name}").content.decode()
    datasets = html[html.index('id="user-datasets"'):html.index('id="user-edits"')]
    assert f'href="/dataset/{w}-mine"' in datasets
    edits = html[html.index('id="user-edits"'):]
    assert f'href="/dataset/{w}-mine"' in edits and "<time datetime=" in edits


def test_a_404_is_a_page_in_the_site_layout_and_json_under_api(client, db):
    resp = client.get("/no/such/page")
    assert resp.status_code == 404
    html = resp.content.decode()
    assert 'class="brand"' in html and 'id="error-page"' in html and 'action="/dataset"' in html
    api = client.get("/api/no-such-thing")
    assert api.status_code == 404 and api.json()["success"] is False


def test_a_500_is_a_page_in_the_site_layout(client, db, monkeypatch):
    import catalog.views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(catalog.views, "render", broken)
    client.raise_request_exception = False
    resp = client.get("/group")
    assert resp.status_code == 500
    html = resp.content.decode()
    assert 'class="brand"' in html and "Something went wrong" in html and "boom" not in html


def test_the_favicon_is_an_icon(client, db):
    resp = client.get("/favicon.ico")
    assert resp.status_code == 200 and resp["Content-Type"] == "image/x-icon"
    assert resp.content[:4] == b"\x00\x00\x01\x00" and "max-age" in resp["Cache-Control"]
    assert '<link rel="icon" href="/favicon.ico">' in client.get("/").content.decode()


def test_every_ckan_url_the_api_hands_out_is_a_page(client, catalog, settings):
    # The Model API's dataset and the Search API's full results are where CKAN 1.6 put ckan_url.
    answer = client.get("/api/search/dataset", {"q": catalog["word"], "all_fields": 1}).json()
    urls = [result["ckan_url"] for result in answer["results"]]
    urls += [client.get(f"/api/2/rest/dataset/{d['id']}").json()["ckan_url"] for d in catalog["datasets"]]
    assert len(urls) == 6
    for url in urls:
        assert url.startswith(settings.CKAN_SITE_URL + "/dataset/")
        assert client.get(url.removeprefix(settings.CKAN_SITE_URL)).status_code == 200, url


def test_pages_carry_no_inline_script_or_event_handler(client, catalog, sysadmin):
    w = catalog["word"]
    client.force_login(sysadmin)
    for path in ["/", "/dataset", f"/dataset?q={w}&tags={w}-red", f"/dataset/{w}-one", f"/tag/{w}-red", "/group",
                 f"/group/{w}-grp", f"/user/{sysadmin.name}", "/no-such-page"]:
        html = client.get(path).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
        assert not re.search(r"\son[a-z]+\s*=", html), path


def test_page_query_counts_do_not_grow_with_the_catalog(client, act, make_user, django_assert_max_num_queries):
    """Each page costs the same queries with 2 datasets as with 40 (and 12 groups, 40 tags)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = word()
    author = make_user(name=f"{w}-author")
    act("group_create", user=author, name=f"{w}-g0", title="G0")

    def grow(start, stop):
        for i in range(start, stop):
            if i % 4 == 3:
                act("group_create", name=f"{w}-g{i}", title=f"G{i}")
            act("package_create", user=author, name=f"{w}-{i:03d}", title=f"Dataset {i}",
                tags=[{"name": f"{w}-t{i % 3}"}, {"name": f"{w}-only{i}"}], groups=[{"name": f"{w}-g0"}],
                resources=[{"url": f"http://example.com/{i}.csv", "format": ["CSV", "JSON", "XML"][i % 3]}])

    # The most queries each page may make (the session, the user, the actions' own). A Solr search
    # on PostgreSQL also reads how far the index has caught up with the writes (ckansite.generation).
    from searchapi.indexing import defers_commits

    search = int(defers_commits())
    limits = {"/": 5, "/dataset": 3 + search, f"/dataset?q={w}&tags={w}-t1&groups={w}-g0": 3 + search,
              f"/dataset/{w}-001": 6, f"/tag/{w}-t1": 3 + search, "/group": 2, f"/group/{w}-g0": 6 + search,
              f"/user/{author.name}": 20}
    paths = list(limits)

    def counts():
        found = {}
        for path in paths:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200, path
            found[path] = len(queries)
        return found

    grow(0, 2)
    small = counts()
    grow(2, 40)
    large = counts()
    assert large == small, (small, large)
    for path, limit in limits.items():
        with django_assert_max_num_queries(limit):
            client.get(path)


def test_list_excerpts_are_the_notes_words_without_markup(client, act):
    w = word()
    act("package_create", name=f"{w}-md", notes=f"**Bold** {w} & <script>x</script> [link](http://example.com)")
    html = client.get("/dataset", {"q": w}).content.decode()
    excerpt = re.search(r'<h3><a href="/dataset/[^"]+">[^<]*</a></h3>\s*<p>(.*?)</p>', html, re.S).group(1)
    assert excerpt == f"Bold {w} &amp; link"  # a script is dropped with its text


def test_while_the_search_engine_is_down_lists_say_so_and_the_front_page_stands(client, catalog, monkeypatch):
    from catalog.logic.errors import SearchError
    from searchapi import engine

    def down(*args, **kwargs):
        raise SearchError("Search engine error: ConnectionError")

    monkeypatch.setattr(engine, "search", down)
    w = catalog["word"]
    for path in ("/dataset", f"/tag/{w}-red", f"/group/{w}-grp"):
        resp = client.get(path)
        assert resp.status_code == 503 and resp["Retry-After"], path
        html = resp.content.decode()
        assert "Search is unavailable right now" in html and 'class="brand"' in html, path
    home = client.get("/")
    assert home.status_code == 200 and 'id="popular-tags"' not in home.content.decode()
    assert f'href="/dataset/{w}-one"' in home.content.decode()  # recent datasets come from the database
