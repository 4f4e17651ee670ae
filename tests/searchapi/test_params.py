"""Search parameters in their three spellings → one engine request; bad values are query errors."""
import pytest

from catalog.logic.errors import SearchQueryError
from searchapi import params
from searchapi import query as q
from searchapi.solr_query import to_solr


def test_solr_and_older_spellings_give_the_same_request():
    solr = params.package_search_request(
        {"q": "water", "fq": "tags:health", "rows": "5", "start": "10", "facet.field": '["tags"]'})
    older = params.package_search_request(
        {"q": "water", "fields": {"tags": "health"}, "limit": 5, "offset": 10, "facet_by": ["tags"]})
    assert (solr.rows, solr.start, solr.facet_fields) == (older.rows, older.start, older.facet_fields) == (5, 10, ["tags"])
    assert [to_solr(f) for f in solr.filters] == [to_solr(f) for f in older.filters] == ['tags:"health"']


def test_defaults_and_caps():
    request = params.package_search_request({})
    assert (request.query, request.rows, request.start, request.sort, request.facet_fields) == (q.MATCH_ALL, 20, 0, [], [])
    assert params.package_search_request({"rows": 100000}).rows == 1000
    assert params.package_search_request({"facet": "false", "facet.field": ["tags"]}).facet_fields == []


def test_sort_parsing():
    assert params.parse_sort("name asc, metadata_modified desc") == [("name", False), ("metadata_modified", True)]
    assert params.parse_sort("title desc") == [("title_string", True)]
    assert params.parse_sort("score") == [("score", True)]


@pytest.mark.parametrize("data", [
    {"rows": "many"}, {"start": -1}, {"sort": "notes asc"}, {"sort": "name up"}, {"facet.field": "[tags"},
    {"facet.field": ["notes"]}, {"fields": "tags:x"}, {"fields": {"tags": {"x": 1}}}, {"q": ["a", "b"]},
    {"facet": "perhaps"}, {"q": "(a"},
    # beyond a 32-bit int: Solr refused them (HTTP 400) after the request was accepted
    {"start": 2**31}, {"offset": "9999999999"}, {"facet.limit": 2**31}, {"facet.mincount": 2**31},
])
def test_bad_package_search_parameters_are_query_errors(data):
    with pytest.raises(SearchQueryError):
        params.package_search_request(data)


def test_v1_parameters():
    request, all_fields = params.v1_params({"q": "x", "tags": ["a b", "c"], "title": "", "order_by": "name",
                                            "limit": "2", "all_fields": "1"})
    assert all_fields is True and request.rows == 2 and request.sort == [("name", False)]
    assert [to_solr(f) for f in request.filters] == ['tags:"a b"', 'tags:"c"']
    with pytest.raises(SearchQueryError):
        params.v1_params({"filter_by_openness": "1"})


def test_v3_parameters():
    request, fl, all_fields = params.v3_params({"q": "tags:x", "fl": "name, title", "rows": "3"})
    assert (fl, all_fields, request.rows) == (["name", "title"], False, 3)
    assert params.v3_params({})[1] == ["name"]
