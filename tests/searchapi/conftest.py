"""Fixtures for the search tests: writes whose on-commit indexing runs (the clean index,
`search_index`, is in tests/conftest.py: other apps' tests use it too)."""
import os

import pytest

from tests.catalog.logic.factories import call


def count_commit_messages(monkeypatch, solr):
    """The commit messages `solr` (a CkanSolrSearchBackend) sends from now on; still sent for real."""
    sent = []
    real_update = solr.conn._update

    def spy(message, **kwargs):
        if "<commit" in str(message):
            sent.append(message)
        return real_update(message, **kwargs)

    monkeypatch.setattr(solr.conn, "_update", spy)
    return sent


def unique_word(prefix="zq"):
    """A search token no stemmer or tokenizer changes: lowercase letters only."""
    return prefix + "".join(chr(ord("a") + b % 26) for b in os.urandom(10))


@pytest.fixture
def act(search_index, sysadmin, django_capture_on_commit_callbacks):
    """Run an action as the sysadmin and then its after-commit work (indexing), as a request would."""

    def run(action, user=sysadmin, **data):
        with django_capture_on_commit_callbacks(execute=True):
            return call(action, user, data)

    return run


@pytest.fixture
def make_dataset(act):
    def make(**fields):
        fields.setdefault("name", "ds-" + os.urandom(5).hex())
        return act("package_create", **fields)

    return make
