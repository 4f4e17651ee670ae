"""Failing over between Solr nodes (searchapi.solr_nodes), against a real Solr.

A node that is not there is a loopback port nobody listens on: the connection
is refused, as when a SolrCloud node is stopped. Runs when SOLR_URL is set.
"""
import os
import socket

import pytest
from pysolr import Solr, SolrError, safe_urlencode

from searchapi.backends import CkanSolrSearchBackend
from searchapi.solr_nodes import FailoverSolr, node_urls
from tests.conftest import needs

SOLR_URL = os.environ.get("SOLR_URL", "").rstrip("/")

pytestmark = [
    pytest.mark.solr,
    needs("Solr", SOLR_URL, "SOLR_URL is not set: no Solr to fail over to"),
]


@pytest.fixture
def dead_url():
    """The URL of a Solr node that is down: a loopback port that was just free."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/solr/ckan"


def test_node_urls_reads_one_or_several():
    assert node_urls("http://a:8983/solr/ckan/") == ["http://a:8983/solr/ckan"]
    assert node_urls(" http://a/solr/c , http://b/solr/c,") == ["http://a/solr/c", "http://b/solr/c"]


def test_a_request_goes_to_the_next_node_when_one_is_down_and_stays_there(dead_url):
    solr = FailoverSolr([dead_url, SOLR_URL], timeout=10)
    assert solr.search("*:*", rows=0).hits >= 0
    assert solr._current == 1  # the live node stays in use: no second connection attempt
    assert solr.search("*:*", rows=0).hits >= 0


def test_an_answer_that_is_an_error_is_not_retried_elsewhere(dead_url):
    solr = FailoverSolr([SOLR_URL, dead_url], timeout=10)
    with pytest.raises(SolrError, match="400"):
        solr.search("title:(unbalanced", rows=0)
    assert solr._current == 0


def test_every_node_down_is_the_last_nodes_error(dead_url):
    solr = FailoverSolr([dead_url, dead_url], timeout=5)
    with pytest.raises(SolrError, match="Failed to connect"):
        solr.search("*:*")


def test_the_backend_writes_and_commits_through_a_surviving_node(dead_url):
    backend = CkanSolrSearchBackend("default", URL=f"{dead_url},{SOLR_URL}", TIMEOUT=10)
    doc_id = "failover-" + os.urandom(6).hex()
    backend.conn.add([{"index_id": doc_id, "django_ct": "catalog.package", "django_id": doc_id, "name": doc_id}],
                     commit=False)
    backend.make_searchable(0)
    try:
        assert backend.conn.search(f"index_id:{doc_id}").hits == 1
    finally:
        backend.remove_ids([doc_id])
    assert backend.conn.search(f"index_id:{doc_id}").hits == 0


def test_requests_to_solr_do_not_read_proxy_settings_from_the_environment():
    assert FailoverSolr(["http://127.0.0.1:1/solr/ckan"]).get_session().trust_env is False


def test_searches_are_form_posts_and_find_what_a_get_finds(monkeypatch):
    """A GET's URL was re-encoded by urllib3 in Python, character by character."""
    solr = FailoverSolr([SOLR_URL], timeout=10)
    sent = []
    session = solr.get_session()
    real_request = session.request
    monkeypatch.setattr(session, "request", lambda method, url, **kwargs: sent.append((method, url))
                        or real_request(method, url, **kwargs))
    # Every term with a count, ties broken by the term: terms of deleted documents (count 0) and
    # the tail of a limit are not the same from one SolrCloud request to the next.
    params = {"q": "*:*", "rows": 3, "sort": "index_id asc", "fl": "index_id", "facet": "true",
              "facet.field": ["tags", "res_format"], "facet.mincount": 1, "facet.limit": -1,
              "facet.sort": "index"}
    posted = solr.search(**params)
    assert sent and all(method.upper() == "POST" and "?" not in url for method, url in sent), sent
    sent.clear()
    query = safe_urlencode(dict(params, wt="json"), True)
    got = solr.decoder.decode(Solr._send_request(solr, "get", f"select/?{query}"))  # pysolr's own GET
    assert sent[0][0].upper() == "GET"
    assert got["response"]["docs"] == posted.docs
    assert got["facet_counts"]["facet_fields"] == posted.raw_response["facet_counts"]["facet_fields"]
