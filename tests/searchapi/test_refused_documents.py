"""A document the search engine refuses holds back only its own dataset (searchapi.indexing).

Every write's index update takes in the datasets left pending, in one request.
Solr refuses a whole update request for one document it cannot take (a 400);
before, the refused dataset, left pending, made every later write's update fail
too, and search stopped agreeing with show for all of them. Now a refused batch
is sent again one dataset at a time, and a retry that the engine refuses
again leaves the catalog's generation (and so the kept answers) as it was.
The refusal here is Solr's own: the document of one dataset carries a field
the schema does not have.
"""
import logging

import pytest
from django.db import connection

from ckansite import generation
from searchapi import engine, params, search_indexes
from searchapi.backends import CkanSolrSearchBackend
from searchapi.indexing import reindex_pending
from searchapi.models import PendingIndex
from searchapi.solr_nodes import refused
from tests.searchapi.conftest import unique_word

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


def catalog_generation():
    """The catalog's generation (catalog.read_cache; PostgreSQL), or None."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {generation.SQL}")
        return cursor.fetchone()[0]


def found(q):
    request = params.package_search_request({"q": q, "rows": 1000})
    return sorted(doc["name"] for doc in engine.search(request).docs)


def test_a_refused_document_holds_back_no_other_dataset(make_dataset, search_index, monkeypatch, caplog):
    if not isinstance(search_index, CkanSolrSearchBackend):
        pytest.skip("Solr refuses documents it cannot take; Whoosh takes any")
    real = search_indexes.document_for
    poisoned = f"poisoned-{unique_word()}"

    def document_for(package_dict):
        doc = real(package_dict)
        if package_dict["name"] == poisoned:
            doc["no_such_field_in_the_schema"] = "refused"
        return doc

    monkeypatch.setattr(search_indexes, "document_for", document_for)
    with caplog.at_level(logging.INFO):
        bad = make_dataset(name=poisoned)
    # Logged once, by us, with Solr's reason: not again by pysolr (at each retry's round).
    refusals = [(r.name, r.levelname) for r in caplog.records if "unknown field" in r.getMessage()]
    assert refusals == [("searchapi.indexing", "WARNING")]
    pending = PendingIndex.objects.get(package_id=bad["id"])
    assert pending.attempts == 1 and "400" in pending.last_error
    before = catalog_generation()
    assert reindex_pending() == (0, 1)  # the retry timer's call: refused again, and nothing was sent
    assert catalog_generation() == before  # so every process's kept answers stay

    token = unique_word()
    good = make_dataset(notes=token)  # its write's update takes in the refused dataset
    assert found(token) == [good["name"]]
    assert list(PendingIndex.objects.values_list("package_id", flat=True)) == [bad["id"]]

    monkeypatch.undo()  # the document mended (a schema or code fix): the next retry indexes it
    assert reindex_pending() == (1, 0)
    assert found(f"name:{poisoned}") == [poisoned]


def test_only_an_answered_client_error_counts_as_refused():
    from pysolr import SolrError

    assert refused(SolrError("Solr responded with an error (HTTP 400): [Reason: ERROR: unknown field 'x']"))
    assert not refused(SolrError("Solr responded with an error (HTTP 503): [Reason: None]"))
    assert not refused(SolrError("Failed to connect to server at http://127.0.0.1:1/solr/ckan/update/"))
    assert not refused(ValueError("HTTP 400"))
