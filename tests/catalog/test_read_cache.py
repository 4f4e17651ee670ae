"""Kept answers of package_list, tag_list and package_search (catalog.read_cache), over the Action API.

On PostgreSQL, outside any transaction (transactional tests): a repeated read
costs one query (the API key's user, with the generation); a write through the API is seen by the very
next read; a change the cache was not told about stays unseen until the
generation advances, which shows the kept answer is really what is served.
"""
import json
import uuid

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from catalog import read_cache
from ckansite import generation
from tests.conftest import needs

pytestmark = [
    pytest.mark.postgres,
    needs("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _empty_cache():
    read_cache.clear()
    yield
    read_cache.clear()


def _get(client, action, **params):
    resp = client.get(f"/api/3/action/{action}", params)
    assert resp.status_code == 200, resp.content[:300]
    return resp.json()["result"]


def _create(client, name, **fields):
    body = {"name": name, "title": name, **fields}
    resp = client.post("/api/3/action/package_create", json.dumps(body), content_type="application/json")
    assert resp.status_code == 200 and resp.json()["success"], resp.content[:300]
    return resp.json()["result"]


def _rename_behind_its_back(name, new_name):
    """A change no write announces (no signal, no generation advance)."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_package SET name = %s WHERE name = %s", [new_name, name])


def test_a_repeated_read_costs_one_query_and_a_write_is_seen_at_once(sysadmin):
    client = Client(HTTP_AUTHORIZATION=sysadmin.apikey)
    word = f"w{uuid.uuid4().hex[:8]}"
    _create(client, f"first-{word}", tags=[{"name": f"tag-{word}"}], notes=word)
    assert f"first-{word}" in _get(client, "package_list")
    _get(client, "tag_list"), _get(client, "package_search", q=word)
    with CaptureQueriesContext(connection) as queries:
        names = _get(client, "package_list")
        tags = _get(client, "tag_list")
        found = _get(client, "package_search", q=word)
    assert f"first-{word}" in names and f"tag-{word}" in tags and found["count"] == 1
    # Each request: one query, the API key's user with the generation, and nothing else.
    assert len(queries.captured_queries) == 3, [q["sql"][:80] for q in queries.captured_queries]
    assert all("catalog_generation" in q["sql"] and "apikey" in q["sql"] for q in queries.captured_queries)
    with CaptureQueriesContext(connection) as queries:
        assert f"first-{word}" in _get(Client(), "package_list")  # anonymous: the visitor's roles, the generation
    assert [q["sql"] for q in queries.captured_queries][1:] == [f"SELECT {generation.SQL}"]

    _create(client, f"second-{word}", tags=[{"name": f"other-{word}"}], notes=word)
    assert f"second-{word}" in _get(client, "package_list")
    assert f"other-{word}" in _get(client, "tag_list")
    found = _get(client, "package_search", q=word)
    assert found["count"] == 2
    assert sorted(result["name"] for result in found["results"]) == [f"first-{word}", f"second-{word}"]


def test_the_kept_answer_is_served_until_the_generation_advances(sysadmin):
    client = Client(HTTP_AUTHORIZATION=sysadmin.apikey)
    word = f"w{uuid.uuid4().hex[:8]}"
    _create(client, f"kept-{word}")
    assert f"kept-{word}" in _get(client, "package_list")
    _rename_behind_its_back(f"kept-{word}", f"moved-{word}")
    assert f"kept-{word}" in _get(client, "package_list")  # kept
    read_cache.advance()  # what every write does after its commit and index update
    names = _get(client, "package_list")
    assert f"moved-{word}" in names and f"kept-{word}" not in names


def test_different_parameters_are_kept_apart(sysadmin):
    client = Client(HTTP_AUTHORIZATION=sysadmin.apikey)
    word = f"w{uuid.uuid4().hex[:8]}"
    created = _create(client, f"apart-{word}", notes=word)
    assert f"apart-{word}" in _get(client, "package_list")
    assert _get(client, "package_search", q=word)["count"] == 1
    assert _get(client, "package_search", q=word, rows=0)["results"] == []
    assert _get(client, "package_search", q=f"{word}x")["count"] == 0


def test_reads_inside_a_transaction_neither_use_nor_fill_the_cache(sysadmin):
    assert read_cache.current() is not None
    with transaction.atomic():
        assert read_cache.current() is None
        calls = []
        assert read_cache.cached(b"k", lambda: calls.append(1) or "fresh") == "fresh"
        assert read_cache.cached(b"k", lambda: calls.append(1) or "fresh") == "fresh"
        assert len(calls) == 2


def test_the_cache_is_bounded(settings, sysadmin):
    settings.CKAN_READ_CACHE_ENTRIES = 2
    for key in (b"a", b"b", b"c"):
        read_cache.cached(key, lambda key=key: key)
    assert list(read_cache._entries) == [b"b", b"c"]


def test_an_entry_older_than_the_limit_is_computed_again(settings, sysadmin):
    read_cache.cached(b"old", lambda: "first")
    settings.CKAN_READ_CACHE_SECONDS = 0
    assert read_cache.cached(b"old", lambda: "second") == "second"
