"""Once writes pause, the process that wrote commits Solr and computes its kept searches again
(searchapi.idle_commit).

The timer's logic runs anywhere; what it does runs on PostgreSQL + Solr, where
writes leave their updates uncommitted (CI runs the `engine` tests there too).
"""
import json
import time
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from haystack import connections

from catalog import read_cache
from ckansite import generation
from searchapi import answers, idle_commit
from searchapi.backends import CkanSolrSearchBackend


def _wait_until(check, seconds=10):
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "not within %s s" % seconds
        time.sleep(0.01)


def test_writes_in_a_burst_are_committed_once_after_the_last_one_and_a_later_burst_again():
    calls = []
    committer = idle_commit.IdleCommitter(lambda: calls.append(time.monotonic()))
    for _ in range(5):
        committer.note_write(0.3)
        last = time.monotonic()
        time.sleep(0.05)
    assert calls == []  # 0.25 s into the burst: the last write was 0.05 s ago
    _wait_until(lambda: calls)
    assert len(calls) == 1 and calls[0] - last >= 0.3
    time.sleep(0.5)
    assert len(calls) == 1  # nothing written since: no second commit
    committer.note_write(0.05)
    _wait_until(lambda: len(calls) == 2)


def test_a_failed_commit_is_logged_and_the_next_pause_commits_again(caplog):
    calls = []

    def commit():
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("Solr is restarting")

    committer = idle_commit.IdleCommitter(commit)
    committer.note_write(0.01)
    _wait_until(lambda: calls)
    time.sleep(0.05)
    committer.note_write(0.01)
    _wait_until(lambda: len(calls) == 2)
    assert "Committing the index after writes paused failed" in caplog.text


def test_nothing_is_scheduled_when_turned_off(settings, monkeypatch):
    settings.CKAN_SEARCH_COMMIT_IDLE = 0
    noted = []
    monkeypatch.setattr(idle_commit._committer, "note_write", noted.append)
    idle_commit.note_write()
    assert noted == []


# ---------------------------------------------------------------- on PostgreSQL + Solr

def _defers_commits():
    backend = connections["default"].get_backend()
    return isinstance(backend, CkanSolrSearchBackend) and backend.defers_commits


@pytest.fixture
def on_solr(settings):
    if not _defers_commits():
        pytest.skip("only Solr on PostgreSQL leaves updates for a search to commit")
    settings.CKAN_SEARCH_COMMIT_IDLE = 0.1
    settings.CKAN_SEARCH_WARM = 8
    read_cache.clear(shared=True)
    yield
    read_cache.clear(shared=True)


def _search(client, q):
    response = client.get("/api/3/action/package_search", {"q": q})
    assert response.status_code == 200, response.content[:300]
    return response.json()["result"]


def _create(client, name, notes):
    response = client.post("/api/3/action/package_create", json.dumps({"name": name, "notes": notes}),
                           content_type="application/json")
    assert response.status_code == 200, response.content[:300]


@pytest.mark.engine
@pytest.mark.django_db(transaction=True)
def test_after_a_pause_solr_has_the_write_committed_and_the_kept_search_shows_it(on_solr, sysadmin):
    client = Client(HTTP_AUTHORIZATION=sysadmin.apikey)
    word = f"w{uuid.uuid4().hex[:10]}"
    assert _search(client, word)["count"] == 0  # kept, under the generation before the write
    _create(client, f"idle-{word}", word)

    def warmed():
        state = generation.read()
        return state.searchable == state.current and not read_cache.stale_keys(answers._KEY_START, 8)

    _wait_until(warmed)  # no search asked: the timer committed, then computed the search again
    solr = connections["default"].get_backend()
    assert solr.conn.search(f"text:{word}", fl="id").hits == 1  # committed in Solr itself
    with CaptureQueriesContext(connection) as queries:
        answer = _search(client, word)
    assert answer["count"] == 1 and answer["results"][0]["name"] == f"idle-{word}"
    # Only the key's user with the generations: the answer was computed again before it was asked.
    assert len(queries.captured_queries) == 1, [q["sql"][:80] for q in queries.captured_queries]
