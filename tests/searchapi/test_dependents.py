"""Search follows what a dataset's dict shows of other objects (catalog.changes finds the dependents).

Runs on the configured engine (Whoosh in `make test`; Solr when SEARCH_URL points at one). Names
are unique per run: a Solr core keeps the documents of earlier runs, whose database rows are gone.
"""
import os

import pytest

from tests.conftest import in_threads
from tests.searchapi.conftest import count_commit_messages

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


def _unique(name):
    return f"{name}-{os.urandom(4).hex()}"


def _search_one(act, name):
    found = act("package_search", q=f"name:{name}")
    assert found["count"] == 1, found
    return found["results"][0]


def test_retitling_a_group_reaches_its_datasets_search_documents(search_index, act, make_dataset):
    group = act("group_create", name=_unique("g-retitle"), title="Old Title")
    dataset = make_dataset(name=_unique("a-retitle"), groups=[{"name": group["name"]}])
    assert _search_one(act, dataset["name"])["groups"][0]["title"] == "Old Title"

    act("group_update", **{**act("group_show", id=group["id"]), "title": "New Title"})

    shown = act("package_show", id=dataset["id"])
    assert shown["groups"][0]["title"] == "New Title"
    assert _search_one(act, dataset["name"]) == shown


def test_deleting_a_relationship_partner_reaches_the_other_datasets_search_document(search_index, act, make_dataset):
    a, b = make_dataset(name=_unique("a-partner")), make_dataset(name=_unique("b-partner"))
    act("package_relationship_create", subject=a["name"], object=b["name"], type="child_of")
    assert len(_search_one(act, a["name"])["relationships_as_subject"]) == 1

    act("package_delete", id=b["id"])

    shown = act("package_show", id=a["id"])
    assert shown["relationships_as_subject"] == []
    assert _search_one(act, a["name"]) == shown
    assert b["id"] not in str(_search_one(act, a["name"]))


def test_a_write_answers_with_the_dict_it_stored_and_indexed(search_index, act, make_dataset):
    created = make_dataset(name=_unique("answer-once"), tags=[{"name": "one"}])
    assert created == act("package_show", id=created["id"]) == _search_one(act, created["name"])
    updated = act("package_update", **{**created, "title": "Changed", "tags": [{"name": "two"}]})
    assert updated == act("package_show", id=created["id"]) == _search_one(act, created["name"])


def _count_solr_commits(monkeypatch):
    """The soft commits this process asks Solr for (the real ones are still sent)."""
    from searchapi.backends import CkanSolrSearchBackend

    sent = []
    real = CkanSolrSearchBackend.make_searchable

    def counted(self, *args, **kwargs):
        sent.append(args)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(CkanSolrSearchBackend, "make_searchable", counted)
    return sent


def test_writes_leave_the_soft_commit_to_the_next_search_on_solr_with_postgresql(search_index, act, make_dataset,
                                                                                monkeypatch):
    """Solr on PostgreSQL: a write sends no soft commit; a search finding the index behind sends one, then
    marks it caught up. Elsewhere (Whoosh, or no generations on SQLite) a write commits before it returns."""
    from ckansite import generation
    from searchapi.backends import CkanSolrSearchBackend
    from searchapi.indexing import defers_commits

    commits = _count_solr_commits(monkeypatch)
    names = [make_dataset()["name"] for _ in range(3)]
    on_solr = isinstance(search_index, CkanSolrSearchBackend)
    assert len(commits) == (0 if defers_commits() or not on_solr else 3)

    if defers_commits():
        written_up_to = generation.read().current
        assert written_up_to > 0
        _search_one(act, names[0])
        # This search, or another process's after our writes, made them searchable.
        assert generation.read().searchable >= written_up_to
    for name in names:
        _search_one(act, name)


def test_a_write_that_cannot_advance_the_generation_commits_itself(search_index, act, make_dataset, monkeypatch):
    """No search would know the index is behind if the generation stood still (the database failed)."""
    from catalog import read_cache
    from searchapi.backends import CkanSolrSearchBackend

    commits = _count_solr_commits(monkeypatch)
    monkeypatch.setattr(read_cache, "advance", lambda: False)
    name = make_dataset()["name"]
    assert len(commits) == (1 if isinstance(search_index, CkanSolrSearchBackend) else 0)
    monkeypatch.undo()
    _search_one(act, name)


def test_searches_finding_the_index_behind_together_send_one_commit(search_index, act, make_dataset, monkeypatch):
    """Eight searches at once after a write (Solr on PostgreSQL): the first to hold the host's commit lock
    commits, the others find the index caught up once the lock is theirs (the searchable generation)
    and send nothing. Elsewhere the write committed, and searches send no commit at all."""
    import threading

    from django.db import connections

    from ckansite import generation
    from searchapi import engine, params
    from searchapi.indexing import defers_commits

    name = make_dataset()["name"]
    written_up_to = generation.read().current if defers_commits() else None
    sent = count_commit_messages(monkeypatch, search_index) if hasattr(search_index, "conn") else []  # Solr
    start = threading.Barrier(8)
    counts = []

    def search():
        try:
            start.wait(10)
            counts.append(engine.search(params.package_search_request({"q": f"name:{name}"}), backend=search_index).count)
        finally:
            connections.close_all()

    in_threads(search, [()] * 8)
    assert counts == [1] * 8
    if defers_commits():
        assert len(sent) <= 1  # none if another process's search committed first
        assert generation.searchable_now() >= written_up_to
    else:
        assert sent == []  # the write committed before it returned
