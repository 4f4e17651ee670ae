"""The index follows every write, and a failed index update is never lost (Whoosh)."""
from pathlib import Path

import pytest
from django.core.management import call_command
from whoosh.index import LockError

from searchapi import backends, engine, params
from searchapi.backends import CkanWhooshSearchBackend
from searchapi.models import PendingIndex
from tests.searchapi.conftest import unique_word

pytestmark = pytest.mark.django_db


@pytest.fixture
def whoosh(search_index):
    if not isinstance(search_index, CkanWhooshSearchBackend):
        pytest.skip("these tests break and repair a Whoosh index")
    return search_index


def names(q="", **extra):
    request = params.package_search_request({"q": q, "rows": 1000, **extra})
    return sorted(doc["name"] for doc in engine.search(request).docs)


def test_a_new_dataset_is_indexed_from_its_package_dict(whoosh, make_dataset):
    token = unique_word()
    created = make_dataset(
        title=f"Fresh {token}", tags=[{"name": "river pollution"}], extras=[{"key": "department", "value": "Water"}],
        resources=[{"url": "http://example.com/a.csv", "format": "CSV", "description": "Monthly figures"}],
    )
    assert names(token) == [created["name"]]
    assert names('tags:"river pollution"') == [created["name"]]
    assert names("department:water") == [created["name"]]
    assert names("res_format:CSV monthly") == [created["name"]]
    (doc,) = engine.search(params.package_search_request({"q": token})).docs
    assert doc["tags"] == ["river pollution"] and doc["state"] == "active"


def test_an_update_replaces_the_document(whoosh, make_dataset, act):
    old, new = unique_word(), unique_word()
    created = make_dataset(title=f"Before {old}")
    shown = act("package_show", id=created["id"])
    act("package_update", **{**shown, "title": f"After {new}"})
    assert (names(new), names(old)) == ([created["name"]], [])


def test_a_deleted_dataset_leaves_the_index(whoosh, make_dataset, act):
    token = unique_word()
    created = make_dataset(title=f"Doomed {token}")
    act("package_delete", id=created["id"])
    assert names(token) == []


def test_one_index_update_per_write(whoosh, make_dataset, monkeypatch):
    calls = []
    original = CkanWhooshSearchBackend.update

    def counting(self, index, iterable, commit=True):
        calls.append(len(iterable))
        return original(self, index, iterable, commit)

    monkeypatch.setattr(CkanWhooshSearchBackend, "update", counting)
    make_dataset(tags=[{"name": "alpha"}, {"name": "beta"}], resources=[{"url": "http://x/1"}, {"url": "http://x/2"}])
    assert calls == [1]


def test_a_write_succeeds_while_the_index_is_locked_and_reindex_pending_catches_up(whoosh, make_dataset, monkeypatch):
    monkeypatch.setattr(backends, "WHOOSH_LOCK_TIMEOUT", 0.2)
    whoosh.setup()
    blocker = whoosh.index.writer()  # another process holding Whoosh's single-writer lock
    token = unique_word()
    try:
        created = make_dataset(title=f"Blocked {token}")
        assert PendingIndex.objects.filter(package_id=created["id"]).exists()
        assert names(token) == []
    finally:
        blocker.cancel()
    call_command("reindex_pending")
    assert names(token) == [created["name"]]
    assert not PendingIndex.objects.exists()


def test_an_unreachable_index_is_caught_up_by_the_next_write(whoosh, make_dataset, tmp_path):
    good_path = whoosh.path
    (tmp_path / "not-a-directory").write_text("")
    whoosh.path = str(tmp_path / "not-a-directory" / "index")
    whoosh.setup_complete = False
    lost = unique_word()
    try:
        first = make_dataset(title=f"Lost {lost}")
        assert list(PendingIndex.objects.values_list("package_id", flat=True)) == [first["id"]]
    finally:
        whoosh.path = good_path
        whoosh.setup_complete = False
    second = make_dataset(title="Second")
    assert names(lost) == [first["name"]]
    assert names("second") == [second["name"]]
    assert not PendingIndex.objects.exists()


def test_a_writer_waits_for_another_writers_lock_instead_of_failing(whoosh, make_dataset, monkeypatch):
    """The write meets the busy lock, tries again, and commits once the other writer lets go (no clock involved)."""
    whoosh.setup()
    blocker = whoosh.index.writer()  # another process holding Whoosh's single-writer lock
    attempts = []
    commit = CkanWhooshSearchBackend._commit_spooled

    def attempt(self, mine):
        try:
            commit(self, mine)
        except LockError:
            attempts.append("busy")
            if len(attempts) == 2:
                blocker.cancel()  # the other writer finishes while ours waits
            raise
        attempts.append("committed")

    monkeypatch.setattr(CkanWhooshSearchBackend, "_commit_spooled", attempt)
    token = unique_word()
    created = make_dataset(title=f"Patient {token}")
    assert attempts == ["busy", "busy", "committed"]
    assert names(token) == [created["name"]]
    assert not PendingIndex.objects.exists()


def test_rebuild_index_restores_the_index_from_the_database(whoosh, make_dataset):
    token = unique_word()
    created = make_dataset(title=f"Rebuilt {token}")
    whoosh.clear()
    assert names(token) == []
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert names(token) == [created["name"]]


def test_solr_config_command_prints_and_writes_the_shipped_files(tmp_path, capsys):
    call_command("solr_config")
    assert "<uniqueKey>index_id</uniqueKey>" in capsys.readouterr().out
    call_command("solr_config", write=str(tmp_path / "conf"))
    assert sorted(p.name for p in Path(tmp_path / "conf").iterdir()) == ["schema.xml", "solrconfig.xml"]


def _write_documents(path, worker, count):
    """One 'gunicorn worker': its own backend on the shared directory, writing one document at a time.

    Each write is searchable as soon as it returns (whoever committed it), through
    the searcher the Search API reads with (which survives concurrent commits).
    """
    backend = CkanWhooshSearchBackend("default", PATH=path)
    for i in range(count):
        doc = {"index_id": f"catalog.package.w{worker}-{i}", "id": f"w{worker}-{i}", "name": f"w{worker}-{i}",
               "text": "concurrent", "tags": ["concurrency"]}
        backend._write(add=[doc])
        assert engine._searcher(backend).document(index_id=doc["index_id"]) is not None, doc


def test_concurrent_writer_processes_lose_no_update(tmp_path):
    import multiprocessing

    path = str(tmp_path / "shared-index")
    CkanWhooshSearchBackend("default", PATH=path).setup()
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_write_documents, args=(path, w, 8)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [worker.exitcode for worker in workers] == [0, 0, 0, 0]
    backend = CkanWhooshSearchBackend("default", PATH=path)
    result = engine.search(params.package_search_request({"q": "tags:concurrency", "rows": 100}), backend=backend)
    assert result.count == 32


def test_a_searcher_that_could_not_be_reopened_is_not_closed_again(tmp_path, monkeypatch):
    """Another process's commit can replace the index's files while this thread reopens its
    searcher: the open is tried again, and must not find the old searcher, closed, still kept
    (closing it again raised ReaderClosed at every search of that thread from then on)."""
    backend = CkanWhooshSearchBackend("default", PATH=str(tmp_path / "index"))
    backend._write(add=[{"index_id": "catalog.package.a", "id": "a", "name": "a", "text": "first"}])
    first = engine._searcher(backend)
    backend._write(add=[{"index_id": "catalog.package.b", "id": "b", "name": "b", "text": "second"}])
    real_open = backend.storage.open_index
    replaced = []

    def open_racing_a_commit(*args, **kwargs):
        if not replaced:
            replaced.append(1)
            raise FileNotFoundError("_MAIN_2.toc: replaced by another process's commit")
        return real_open(*args, **kwargs)

    monkeypatch.setattr(backend.storage, "open_index", open_racing_a_commit)
    searcher = engine._searcher(backend)
    assert replaced and searcher is not first
    assert searcher.document(index_id="catalog.package.b") is not None
    assert engine._searcher(backend) is searcher


def test_one_commit_takes_every_spooled_write(whoosh):
    """Group commit: a writer holding the lock also commits what other writers spooled."""
    whoosh.setup()
    other = whoosh._spool([{"index_id": "catalog.package.other", "id": "other", "name": "other", "text": "grouped"}], [])
    whoosh._write(add=[{"index_id": "catalog.package.mine", "id": "mine", "name": "mine", "text": "grouped"}])
    assert not Path(other).exists()
    assert list(Path(other).parent.iterdir()) == []
    assert names("grouped") == ["mine", "other"]


def test_a_broken_spooled_write_does_not_block_the_others(whoosh):
    whoosh.setup()
    broken = whoosh._spool([{"index_id": "catalog.package.bad", "no_such_field": "x"}], [])
    whoosh._write(add=[{"index_id": "catalog.package.fine", "id": "fine", "name": "fine", "text": "lone"}])
    assert names("lone") == ["fine"]
    assert Path(broken).exists()  # left for its own writer, which fails and withdraws it
    Path(broken).unlink()


def test_filters_ckan_clients_add_match_every_dataset(whoosh, make_dataset):
    token = unique_word()
    created = make_dataset(title=f"Public {token}")
    assert names(token, fq="+capacity:public +dataset_type:dataset") == [created["name"]]


def test_update_index_remove_drops_documents_of_vanished_datasets(whoosh, make_dataset):
    kept = make_dataset(title="Kept")
    whoosh._write(add=[{"index_id": "catalog.package.vanished", "django_ct": "catalog.package",
                        "django_id": "vanished", "id": "vanished", "name": "vanished", "text": "kept"}])
    assert names("kept") == sorted([kept["name"], "vanished"])
    call_command("update_index", remove=True, verbosity=0)
    assert names("kept") == [kept["name"]]
