"""The Search API over HTTP (Django test client, Whoosh): parameters, versions, errors."""
import json
from types import SimpleNamespace
from urllib.parse import quote

import pytest

from tests.searchapi.conftest import unique_word

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(make_dataset, act):
    c = SimpleNamespace(token=unique_word(), w1=unique_word(), w2=unique_word(), tag_a=unique_word("tg"),
                        tag_b=unique_word("tg"), extra=unique_word(), author=unique_word())
    group = act("group_create", name="grp-" + unique_word(""), title="A group")
    c.group = group["name"]
    c.alpha = make_dataset(name="srch-alpha-" + c.token[-6:], title=f"{c.token} Alpha {c.w1} {c.w2}",
                           tags=[{"name": c.tag_a}, {"name": c.tag_b}], groups=[{"name": c.group}],
                           author=f"Author {c.author}", extras=[{"key": "department", "value": c.extra}],
                           resources=[{"url": "http://example.com/a.csv", "format": "CSV"}])
    c.beta = make_dataset(name="srch-beta-" + c.token[-6:], title=f"{c.token} Beta {c.w2} {c.w1}",
                          tags=[{"name": c.tag_a}], resources=[{"url": "http://example.com/b.json", "format": "JSON"}])
    c.gamma = make_dataset(name="srch-gamma-" + c.token[-6:], title=f"{c.token} Gamma")
    c.all = [c.alpha, c.beta, c.gamma]
    c.names = sorted(d["name"] for d in c.all)
    return c


def get(client, path, status=200, **params):
    response = client.get(path, params)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def found(body):
    return sorted(body["results"])


@pytest.mark.parametrize("base", ["/api/search", "/api/1/search"])
def test_v1_answers_names(client, corpus, base):
    assert found(get(client, f"{base}/dataset", q=corpus.token)) == corpus.names


def test_v2_answers_ids(client, corpus):
    assert found(get(client, "/api/2/search/dataset", q=corpus.token)) == sorted(d["id"] for d in corpus.all)


def test_v1_field_parameters_all_must_match(client, corpus):
    assert found(get(client, "/api/search/dataset", tags=[corpus.tag_a, corpus.tag_b])) == [corpus.alpha["name"]]
    assert found(get(client, "/api/search/dataset", groups=corpus.group)) == [corpus.alpha["name"]]
    assert found(get(client, "/api/search/dataset", author=corpus.author)) == [corpus.alpha["name"]]
    assert found(get(client, "/api/search/dataset", department=corpus.extra)) == [corpus.alpha["name"]]
    assert found(get(client, "/api/search/dataset", q=corpus.token, title="")) == corpus.names


def test_v1_phrase_order_limit_offset(client, corpus):
    assert found(get(client, "/api/search/dataset", q=f'"{corpus.w1} {corpus.w2}"')) == [corpus.alpha["name"]]
    body = get(client, "/api/search/dataset", q=corpus.token, order_by="name", offset=1, limit=1)
    assert (body["count"], body["results"]) == (3, corpus.names[1:2])


def test_v1_all_fields_gives_rest_records(client, corpus):
    body = get(client, "/api/search/dataset", q=corpus.alpha["name"].split("-")[-1], all_fields=1,
               tags=corpus.tag_b)
    (record,) = body["results"]
    assert record["name"] == corpus.alpha["name"] and corpus.tag_b in record["tags"]


def test_qjson_and_post_bodies(client, corpus):
    qjson = json.dumps({"tags": [corpus.tag_a, corpus.tag_b]})
    assert found(get(client, "/api/search/dataset", qjson=qjson)) == [corpus.alpha["name"]]
    text = json.dumps({"q": corpus.token})
    for body, content_type in [(quote(text) + "=1", "application/x-www-form-urlencoded"),
                               (text, "application/x-www-form-urlencoded"), (text, "application/json")]:
        response = client.post("/api/search/dataset", body, content_type=content_type)
        assert found(response.json()) == corpus.names
    response = client.post("/api/search/dataset", {"q": corpus.token})
    assert found(response.json()) == corpus.names


@pytest.mark.parametrize("params", [
    {"qjson": '"q":""'}, {"qjson": "[1]"}, {"all_fields": "maybe"}, {"filter_by_openness": "1"},
    {"q": "(unbalanced"}, {"q": 'a "b'}, {"limit": "ten"}, {"offset": "-1"}, {"order_by": "notes"},
    {"q": "data_dict:x"},
])
def test_malformed_dataset_searches_are_400_with_a_message(client, search_index, params):
    body = get(client, "/api/search/dataset", status=400, **params)
    assert isinstance(body, str) and body


def test_v3_solr_syntax_fl_sort_and_paging(client, corpus):
    v3 = "/api/3/search/dataset"
    assert found(get(client, v3, q=corpus.token)) == corpus.names
    assert found(get(client, v3, q=f"tags:{corpus.tag_a} tags:{corpus.tag_b}")) == [corpus.alpha["name"]]
    assert found(get(client, v3, q=f"{corpus.token} AND (tags:{corpus.tag_a} OR title:Gamma)")) == corpus.names
    assert found(get(client, v3, q=f"{corpus.token} -tags:{corpus.tag_a}")) == [corpus.gamma["name"]]
    assert found(get(client, v3, q=corpus.token, fl="id")) == sorted(d["id"] for d in corpus.all)
    records = get(client, v3, q=corpus.token, fl="name,title")["results"]
    assert sorted(records, key=lambda r: r["name"])[0] == {"name": corpus.alpha["name"], "title": corpus.alpha["title"]}
    (record,) = get(client, v3, q=f"tags:{corpus.tag_b}", fl="*")["results"]
    assert corpus.tag_b in record["tags"] and "data_dict" not in record
    assert get(client, v3, q=corpus.token, sort="name desc")["results"] == corpus.names[::-1]
    body = get(client, v3, q=corpus.token, sort="name asc", start=1, rows=1)
    assert (body["count"], body["results"]) == (3, corpus.names[1:2])
    assert isinstance(get(client, v3, q=f"tags:{corpus.tag_b}", all_fields=1)["results"][0], dict)
    get(client, v3, status=400, q=corpus.token, sort="name sideways")


def test_package_search_action_both_spellings(client, corpus):
    def search(**data):
        response = client.post("/api/action/package_search", json.dumps(data), content_type="application/json")
        body = response.json()
        assert body["success"], body
        return body["result"]

    result = search(q=corpus.token, **{"facet.field": ["tags", "res_format"]})
    assert result["count"] == 3 and result["facets"]["tags"][corpus.tag_a] == 2
    assert result["facets"]["res_format"] == {"CSV": 1, "JSON": 1}
    assert {"resources", "tags", "extras"} <= set(result["results"][0])
    assert search(q=corpus.token, facet_by=["tags"])["facets"]["tags"][corpus.tag_b] == 1
    assert len(search(q=corpus.token, limit=2)["results"]) == 2
    assert [r["name"] for r in search(q=corpus.token, fields={"tags": corpus.tag_b})["results"]] == [
        corpus.alpha["name"]]
    assert [r["name"] for r in search(q=corpus.token, fq=f"+tags:{corpus.tag_b}")["results"]] == [
        corpus.alpha["name"]]
    assert search(q=corpus.token, **{"facet.field": '["tags"]', "facet.limit": 1})["facets"]["tags"] == {
        corpus.tag_a: 2}
    assert search(q=corpus.token, sort="metadata_modified desc", rows=1)["results"][0]["name"] == corpus.gamma["name"]
    error = client.post("/api/action/package_search", json.dumps({"q": "(oops"}),
                        content_type="application/json").json()
    assert error["success"] is False and error["error"]["__type"] == "Search Query Error"


def test_package_search_caps_rows_at_1000(corpus):
    from searchapi.params import package_search_request

    assert package_search_request({"rows": 5000}).rows == 1000


def test_resource_search(client, make_dataset):
    host = unique_word()
    created = make_dataset(resources=[
        {"url": f"http://{host}.example.com/a.csv", "format": "CSV", "description": "First One", "hash": "abc123"},
        {"url": f"http://{host}.example.com/b.xls", "format": "XLS", "description": "Second", "hash": "def456"},
    ])
    ids = [r["id"] for r in created["resources"]]
    assert found(get(client, "/api/search/resource", url=f"{host}.EXAMPLE.com")) == sorted(ids)
    assert get(client, "/api/2/search/resource", url=host, format="xls")["results"] == [ids[1]]
    assert get(client, "/api/search/resource", url=host, hash="abc")["results"] == [ids[0]]
    assert get(client, "/api/search/resource", url=host, hash="123")["results"] == []
    body = get(client, "/api/search/resource", url=host, description="first", all_fields=1)
    assert body["results"][0]["package_id"] == created["id"]
    body = get(client, "/api/search/resource", url=host, limit=1, offset=1)
    assert (body["count"], len(body["results"])) == (2, 1)
    assert get(client, "/api/search/resource", qjson=json.dumps({"url": host}))["count"] == 2
    get(client, "/api/search/resource", status=400, random="option")


def test_revision_search(client, make_dataset, act):
    created = make_dataset()
    shown = act("package_show", id=created["id"])
    second = act("package_update", **{**shown, "title": "second"})["revision_id"]
    first = created["revision_id"]
    got = get(client, "/api/search/revision", since_id=first)
    assert second in got and first not in got
    timestamp = act("revision_show", id=first)["timestamp"]
    assert first in get(client, "/api/search/revision", since_time=timestamp[:10])
    assert get(client, "/api/search/revision", since_time="2999-01-01") == []
    get(client, "/api/search/revision", status=400)
    get(client, "/api/search/revision", status=400, since_id="")
    get(client, "/api/search/revision", status=404, since_id="00000000-0000-0000-0000-000000000000")
    get(client, "/api/search/revision", status=400, since_time="2010-04-31T23:45")


def test_tag_counts(client, make_dataset):
    tag = unique_word("tc")
    make_dataset(tags=[{"name": tag}])
    make_dataset(tags=[{"name": tag}])
    for path in ("/api/tag_counts", "/api/2/tag_counts"):
        assert [tag, 2] in get(client, path)


def test_package_search_rows_are_capped_by_the_setting(client, make_dataset, settings):
    word = unique_word()
    for _ in range(3):
        make_dataset(notes=word)
    settings.CKAN_SEARCH_ROWS_MAX = 2
    for key in ("rows", "limit"):
        body = client.post("/api/action/package_search", json.dumps({"q": word, key: 50}),
                           content_type="application/json").json()["result"]
        assert (body["count"], len(body["results"])) == (3, 2)
    assert len(client.get("/api/2/search/dataset", {"q": word, "limit": 50}).json()["results"]) == 2
    settings.CKAN_SEARCH_ROWS_MAX = 1000
    body = client.post("/api/action/package_search", json.dumps({"q": word, "rows": 50}),
                       content_type="application/json").json()["result"]
    assert len(body["results"]) == 3


def test_action_api_search_answers_each_dataset_as_package_show_does(client, corpus):
    """The Action API hands the stored JSON of each result through unparsed: it must be package_show's dict."""
    body = get(client, "/api/3/action/package_search", q=corpus.token, sort="name asc")
    results = body["result"]["results"]
    assert [r["name"] for r in results] == corpus.names
    for result in results:
        assert result == get(client, "/api/3/action/package_show", id=result["name"])["result"]


@pytest.mark.engine
def test_the_largest_start_answers_an_empty_page(client, corpus):
    body = client.get("/api/3/action/package_search", {"q": corpus.token, "start": 2**31 - 1}).json()
    assert (body["result"]["count"], body["result"]["results"]) == (3, [])
    refused = client.get("/api/3/action/package_search", {"q": corpus.token, "start": 2**31}).json()
    assert refused["success"] is False and "start must be at most 2147483647" in refused["error"]["message"]
