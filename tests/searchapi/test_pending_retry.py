"""Failed index updates are retried by a timer when no write comes (searchapi.pending_retry)."""
import threading

import pytest

from searchapi import backends, engine, params, pending_retry
from searchapi.backends import CkanWhooshSearchBackend
from searchapi.models import PendingIndex
from tests.searchapi.conftest import unique_word

pytestmark = pytest.mark.django_db


def names(q):
    return sorted(doc["name"] for doc in engine.search(params.package_search_request({"q": q, "rows": 100})).docs)


def test_retry_once_indexes_what_a_failed_write_left_pending(search_index, make_dataset, monkeypatch):
    if not isinstance(search_index, CkanWhooshSearchBackend):
        pytest.skip("this test blocks a Whoosh index to make the write's index update fail")
    monkeypatch.setattr(backends, "WHOOSH_LOCK_TIMEOUT", 0.2)
    search_index.setup()
    blocker = search_index.index.writer()  # another process holding Whoosh's single-writer lock
    token = unique_word()
    try:
        created = make_dataset(title=f"Blocked {token}")
    finally:
        blocker.cancel()
    assert names(token) == [] and PendingIndex.objects.filter(package_id=created["id"]).exists()

    assert pending_retry.retry_once() == (1, 0)
    assert names(token) == [created["name"]]
    assert not PendingIndex.objects.exists()
    assert pending_retry.retry_once() is None  # nothing pending: nothing done


def test_the_timer_retries_until_stopped_and_survives_failures(monkeypatch):
    calls = []
    third = threading.Event()

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("the database is restarting")
        if len(calls) == 3:
            third.set()

    monkeypatch.setattr(pending_retry, "retry_once", flaky)
    monkeypatch.setattr(pending_retry, "close_old_connections", lambda: None)
    stop = pending_retry.start(0.01)
    try:
        assert third.wait(5), "the timer stopped after a failed retry"
    finally:
        stop.set()
    assert pending_retry.start(0) is None  # 0 turns the timer off


def test_a_write_whose_process_dies_after_commit_is_indexed_by_the_retry(search_index, sysadmin, monkeypatch):
    """The to-do row commits with the write; a worker killed before its index update leaves it behind."""
    from searchapi import indexing
    from tests.catalog.logic.factories import call

    token = unique_word()
    # A write whose after-commit work never runs: its process died right after the commit.
    created = call("package_create", sysadmin, {"name": token, "title": f"Orphan {token}"})
    row = PendingIndex.objects.get(package_id=created["id"])
    assert (row.attempts, names(token)) == (0, [])

    assert pending_retry.retry_once() is None, "a fresh row belongs to the write still indexing it"
    monkeypatch.setattr(indexing, "IN_FLIGHT", indexing.IN_FLIGHT * 0)  # ... until it is old
    assert pending_retry.retry_once() == (1, 0)
    assert names(token) == [created["name"]]
    assert not PendingIndex.objects.exists()


def test_a_write_that_indexes_clears_its_own_to_do_row(act, search_index):
    token = unique_word()
    created = act("package_create", name=token, title=token)
    assert names(token) == [created["name"]]
    assert not PendingIndex.objects.exists()


def test_a_write_that_fails_leaves_no_to_do_row(act, sysadmin):
    from catalog.logic.errors import ValidationError
    from tests.catalog.logic.factories import call

    with pytest.raises(ValidationError):
        call("package_create", sysadmin, {"name": "Not A Valid Name!"})
    assert not PendingIndex.objects.exists()
