"""Kept answers of package_list, tag_list and package_search (catalog.read_cache), over the Action API.

On PostgreSQL, outside any transaction (transactional tests): a repeated read
costs one query (the API key's user, with the generation); a write through the API is seen by the very
next read; a change the cache was not told about stays unseen until the
generation advances, which shows the kept answer is really what is served.
"""
import json
import uuid

import orjson
import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from catalog import read_cache
from ckansite import generation
from tests.conftest import in_threads, needs

pytestmark = [
    pytest.mark.postgres,
    needs("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _empty_cache():
    read_cache.clear(shared=True)
    yield
    read_cache.clear(shared=True)


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


def _shared_rows():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {read_cache.SHARED_TABLE}")
        return cursor.fetchone()[0]


def test_a_search_answer_one_process_computed_serves_the_others(sysadmin):
    """Another process (here: this one, its own answers dropped) takes the answer from the shared table."""
    read_cache.clear(shared=True)
    client = Client(HTTP_AUTHORIZATION=sysadmin.apikey)
    word = f"w{uuid.uuid4().hex[:8]}"
    _create(client, f"shared-{word}", notes=word)
    first = _get(client, "package_search", q=word)
    assert first["count"] == 1 and _shared_rows() == 1
    read_cache.clear()  # what a process that never computed it has
    _rename_behind_its_back(f"shared-{word}", f"unseen-{word}")
    with CaptureQueriesContext(connection) as queries:
        assert _get(client, "package_search", q=word) == first  # from the table: not computed again
    # The key's user with the generations, then the shared answer; no search, no stored copies.
    assert len(queries.captured_queries) == 2, [q["sql"][:80] for q in queries.captured_queries]
    read_cache.advance()
    read_cache.clear()
    assert _get(client, "package_search", q=word)["results"][0]["name"] == f"shared-{word}"  # the stored copy
    assert _shared_rows() == 1  # the newer answer replaced the older one


def test_the_shared_table_is_bounded(settings, sysadmin):
    read_cache.clear(shared=True)
    settings.CKAN_READ_CACHE_ENTRIES = 3
    for i in range(6):
        assert read_cache.cached(f"k{i}".encode(), lambda i=i: {"n": i}, shared=True) == {"n": i}
    assert _shared_rows() == 3
    read_cache.clear()
    assert orjson.dumps(read_cache.cached(b"k1", lambda: {"n": "computed"}, shared=True)) == b'{"n":1}'
    assert read_cache.cached(b"k5", lambda: {"n": "computed"}, shared=True) == {"n": "computed"}
    read_cache.advance()
    read_cache.cached(b"new", lambda: "after a write", shared=True)  # full of stale rows: they go
    assert _shared_rows() == 1
    big = "x" * read_cache.SHARED_MAX_BYTES
    read_cache.clear(shared=True)
    read_cache.cached(b"big", lambda: big, shared=True)
    assert _shared_rows() == 0


def test_a_shared_answer_older_than_the_limit_is_computed_again(settings, sysadmin):
    read_cache.clear(shared=True)
    read_cache.cached(b"aged", lambda: ["first"], shared=True)
    read_cache.clear()
    settings.CKAN_READ_CACHE_SECONDS = 0
    assert read_cache.cached(b"aged", lambda: ["second"], shared=True) == ["second"]


def test_concurrent_puts_neither_deadlock_nor_wait(settings, sysadmin, caplog):
    """Processes sharing answers at once just after a write, the table full of stale rows: no put fails.

    (The first version, which deleted stale rows in the put's own statement, deadlocked under the
    bench's 8 clients; threads here rarely meet that interleaving, the bench did every time.)"""
    import threading

    from django.db import connections

    read_cache.clear(shared=True)
    settings.CKAN_READ_CACHE_ENTRIES = 48
    for i in range(48):
        read_cache.cached(f"old-{i}".encode(), lambda: ["old"], shared=True)
    read_cache.advance()
    start = threading.Barrier(8)
    failures = []

    def reader(n):
        try:
            read_cache.current()  # connect before the start
            start.wait(10)
            for i in range(6):
                read_cache.cached(f"new-{n}-{i}".encode(), lambda: {"n": n}, shared=True)
                read_cache.cached(f"same-{i}".encode(), lambda: {"n": n}, shared=True)
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            connections.close_all()

    in_threads(reader, [(n,) for n in range(8)])
    assert failures == []
    assert not [r.getMessage() for r in caplog.records if "Could not share" in r.getMessage()]
    # The bound is checked by each put in its own snapshot: puts racing one another may each add a row.
    assert _shared_rows() <= 48 + 8
