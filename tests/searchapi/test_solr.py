"""Solr integration: the shipped schema on a real core gives the same answers as Whoosh.

Runs when SOLR_URL points at a core made from searchapi/solr/conf (see
searchapi/README.md), e.g. SOLR_URL=http://127.0.0.1:8983/solr/ckan; skipped
otherwise, saying why (failed under CI=true: CI starts Solr for the runs that
select these tests, and deselects them, -m "not solr", elsewhere). Documents are scoped by a fresh name prefix and removed afterwards,
so the core may hold other data.
"""
import importlib.util
import json
import os
import random
import string
from pathlib import Path

import pytest
from haystack import connections

from catalog.models import Package
from searchapi import engine, params
from searchapi import query as q
from searchapi.backends import CkanSolrSearchBackend, CkanWhooshSearchBackend
from searchapi.search_indexes import index_id
from tests.catalog.logic.factories import call
from tests.conftest import in_threads, missing, needs
from tests.searchapi.conftest import count_commit_messages

SOLR_URL = os.environ.get("SOLR_URL", "").rstrip("/")
BENCH = Path(os.environ.get("CKAN_BENCH", Path(__file__).resolve().parents[3] / "shared" / "bench" / "ckan_bench.py"))
CORPUS_SIZE = int(os.environ.get("SEARCH_COMPARE_N", "120"))

pytestmark = [
    pytest.mark.solr,
    pytest.mark.django_db,
    needs("Solr", SOLR_URL, "SOLR_URL is not set: no Solr core to compare with (searchapi/README.md)"),
]


def _bench():
    if not BENCH.exists():
        missing("the benchmark's corpus generator", f"not at {BENCH} (set CKAN_BENCH)")
    spec = importlib.util.spec_from_file_location("ckan_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def engines(tmp_path):
    solr = CkanSolrSearchBackend("default", URL=SOLR_URL, TIMEOUT=30)
    try:
        solr.conn.ping()
    except Exception as exc:  # noqa: BLE001 - any failure means there is no usable core
        # SOLR_URL is set, so a Solr was promised (CI starts one): a dead one is a failure, not a skip.
        pytest.fail(f"Solr at {SOLR_URL} does not answer: {exc}")
    whoosh = CkanWhooshSearchBackend("default", PATH=str(tmp_path / "whoosh"))
    index = connections["default"].get_unified_index().get_index(Package)
    return index, solr, whoosh


@pytest.fixture
def corpus(engines, sysadmin):
    """CORPUS_SIZE datasets of the benchmark's generator, loaded into both engines."""
    bench = _bench()
    index, solr, whoosh = engines
    prefix = "cmp" + "".join(random.choice(string.ascii_lowercase) for _ in range(8))
    for i in range(CORPUS_SIZE):
        call("package_create", sysadmin, bench.make_dataset(42, i, bench.dataset_name(prefix, i)))
    from catalog.logic.dictization import package_queryset

    packages = list(package_queryset().filter(name__startswith=prefix + "-"))
    solr.update(index, packages)
    whoosh.update(index, packages)
    yield prefix, bench
    solr.remove_ids([index_id(p.id) for p in packages])


def both(engines, request):
    _, solr, whoosh = engines
    return engine.search(request, backend=solr), engine.search(request, backend=whoosh)


def scoped(request, prefix):
    request.filters.append(q.Prefix("name", prefix + "-"))
    return request


EXTRA_QUERIES = [
    {"q": "water AND quality"},
    {"q": "water OR quality"},
    {"q": "water quality -river"},
    {"q": "NOT tags:economy"},
    {"q": "tags:health -tags:economy"},
    {"q": "(tags:health OR tags:education) AND data"},
    {"q": "res_format:CSV AND res_format:PDF"},
    {"q": '"public transport" OR "air pollution"'},
    {"q": "industries"},
    {"q": "industry"},
    {"q": "Statistics"},
    {"q": "title:report"},
    {"q": "title:rep*"},
    {"q": "name:*"},
    {"q": 'author:"Author 12"'},
    {"q": "source_system:ons"},
    {"q": "update_frequency:monthly tags:economy"},
    {"q": "license_id:cc-by"},
    {"q": "metadata_modified:[2000-01-01 TO *]"},
    {"q": "*:*", "fq": "-res_format:ZIP"},
    {"q": "*:*", "fields": {"tags": "health"}},
    {"q": "*:*", "facet.field": ["license_id", "groups"]},
]
SORTED_QUERIES = [
    {"q": "data", "sort": "name desc", "rows": 25},
    {"q": "*:*", "sort": "title asc", "rows": 25},
    {"q": "tags:economy", "sort": "license_id asc, name asc", "rows": 25, "start": 5},
]


def test_both_engines_count_and_facet_the_same(engines, corpus):
    prefix, bench = corpus
    queries = [p for _, p in bench.search_queries()] + EXTRA_QUERIES
    assert len(queries) >= 20 + len(EXTRA_QUERIES)
    differences = []
    for data in queries:
        data = {"facet.field": json.dumps(["tags", "res_format"]), **data}
        solr, whoosh = both(engines, scoped(params.package_search_request(data), prefix))
        if (solr.count, solr.facets) != (whoosh.count, whoosh.facets):
            differences.append((data, (solr.count, whoosh.count), solr.facets, whoosh.facets))
    assert differences == []


def test_both_engines_sort_and_page_the_same(engines, corpus):
    prefix, _ = corpus
    for data in SORTED_QUERIES:
        solr, whoosh = both(engines, scoped(params.package_search_request(data), prefix))
        assert [d["name"] for d in solr.docs] == [d["name"] for d in whoosh.docs], data
        assert solr.count == whoosh.count


def test_solr_stored_documents_carry_the_package_dict(engines, corpus):
    prefix, _ = corpus
    solr, _ = both(engines, scoped(params.package_search_request({"q": "*:*", "rows": 1, "sort": "name asc"}), prefix))
    (doc,) = solr.docs
    package = json.loads(doc["data_dict"])
    assert package["name"] == doc["name"] == f"{prefix}-000000"
    assert [t["name"] for t in package["tags"]] == sorted(doc["tags"])


def test_solr_sees_a_write_at_once_and_forgets_a_removal(engines, sysadmin):
    index, solr, _ = engines
    token = "fresh" + "".join(random.choice(string.ascii_lowercase) for _ in range(10))
    created = call("package_create", sysadmin, {"name": "ds-" + token, "title": f"Fresh {token}"})
    from catalog.logic.dictization import package_queryset

    solr.update(index, [package_queryset().get(id=created["id"])])
    request = params.package_search_request({"q": token})
    assert [d["name"] for d in engine.search(request, backend=solr).docs] == ["ds-" + token]
    solr.remove_ids([index_id(created["id"])])
    assert engine.search(request, backend=solr).count == 0


def test_a_soft_commit_started_after_an_update_covers_it(engines, monkeypatch):
    """Group commit: a writer whose update a later soft commit made visible sends none of its own."""
    import time

    _, solr, _ = engines
    token = "grouped" + "".join(random.choice(string.ascii_lowercase) for _ in range(10))
    doc = {"index_id": index_id(token), "django_ct": "catalog.package", "django_id": token, "id": token,
           "name": token, "text": token, "capacity": "public"}
    solr.conn.add([doc], commit=False)
    updated_at = time.monotonic_ns()
    sent = count_commit_messages(monkeypatch, solr)
    solr.make_searchable(updated_at)  # the first writer commits...
    solr.make_searchable(updated_at)  # ...a second one updated before that commit began: covered
    assert len(sent) == 1
    assert engine.search(params.package_search_request({"q": token}), backend=solr).count == 1
    solr.remove_ids([index_id(token)])
    assert len(sent) == 2


def test_concurrent_solr_writers_each_read_their_own_write(engines):
    _, solr, _ = engines
    prefix = "together" + "".join(random.choice(string.ascii_lowercase) for _ in range(8))
    failures = []

    def write(i):
        backend = CkanSolrSearchBackend("default", URL=SOLR_URL, TIMEOUT=30)
        name = f"{prefix}{chr(ord('a') + i)}"
        backend.conn.add([{"index_id": index_id(name), "django_ct": "catalog.package", "django_id": name,
                           "id": name, "name": name, "text": name, "capacity": "public"}], commit=False)
        backend.make_searchable(__import__("time").monotonic_ns())
        if engine.search(params.package_search_request({"q": name}), backend=backend).count != 1:
            failures.append(name)

    in_threads(write, [(i,) for i in range(8)])
    assert failures == []
    solr.remove_ids([index_id(f"{prefix}{chr(ord('a') + i)}") for i in range(8)])
