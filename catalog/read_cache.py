"""Answers of the catalog-wide reads (package_list, tag_list, package_search), kept per process
until the catalog changes.

These reads answer the same thing to everyone until something is written, and
cost far more than a look-up: package_list and tag_list read every active
dataset or tag, package_search asks the search engine. Each process keeps the
answers it computed, marked with the catalog's **generation**: a PostgreSQL
sequence that every write advances once it is committed and its search
documents are updated (`advance`, called after each index update, failed or not,
by the search app's receiver of `catalog.signals.packages_changed`). A read first asks the database for the current
generation (the sequence's `last_value`; with an API key, in the same round
trip as the key's user, see accounts.authentication) and uses a kept answer
only if it was computed under that generation.

Why this is exact, on one host and across hosts (the sequence is in the shared
database):

- A write advances the generation after its commit and its index update, and
  before it answers; so a read that starts after the write answered sees the
  new generation and computes afresh (read-after-write for the writer).
- A read that raced a write read the generation first: whatever it computed,
  older or newer, is kept under the old generation, which the write's
  advance makes stale.
- Reads inside a transaction (an action called by a write, tests) never use
  or fill the cache: they may see rows no one else sees yet.

Access checks run before the look-up, and only answers that depend on nothing
but the request's parameters are kept (the caller builds the key). On SQLite
(one process, no sequence) nothing is kept. CKAN_READ_CACHE_ENTRIES bounds the
entries per process (0 turns the cache off); CKAN_READ_CACHE_SECONDS bounds
how long one is kept, a safety net for a write whose advance was lost (the
database failed between its commit and the advance).
"""
import collections
import logging
import threading
import time

import orjson
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from catalog import models
from ckansite import generation, rows

log = logging.getLogger(__name__)

_lock = threading.Lock()
_entries = collections.OrderedDict()  # key -> (generation, kept at (monotonic s), value)


def usable(connection):
    """Whether the cache may be used on `connection` now (not inside a write, either)."""
    return generation.readable(connection) and models.writing_revision.get() is None


def current():
    """The catalog's generation, or None where the cache is not used (SQLite, a transaction, off)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if not usable(connection):
        return None
    noted = generation.noted()
    if noted is not None:
        return noted.current
    with rows.cursor(DEFAULT_DB_ALIAS) as cursor:
        cursor.execute(f"SELECT {generation.SQL}")
        return cursor.fetchone()[0]


def advance():
    """Mark every kept answer, in every process, stale: after a write's commit and index update.

    True if the generation moved on (False on SQLite, or if the database failed)."""
    generation.note(None)  # what this request read before its write is out of date
    connection = connections[DEFAULT_DB_ALIAS]
    if not generation.kept(connection):
        return False
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT nextval('{generation.SEQUENCE}')")
    except DatabaseError:
        # Other processes keep their answers until CKAN_READ_CACHE_SECONDS; this one drops its own.
        log.exception("Could not advance the catalog generation: kept answers may be stale for up to %s s",
                      settings.CKAN_READ_CACHE_SECONDS)
        clear()
        return False
    return True


def clear():
    """Drop this process's kept answers."""
    with _lock:
        _entries.clear()


def key_of(*parts):
    """A cache key for JSON-like `parts` (parameters as the client sent them), or None if they have none."""
    try:
        return orjson.dumps(parts, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return None


def cached(key, compute):
    """`compute()`, or the answer kept for `key` under the current generation. Treat it as read-only."""
    if key is None:
        return compute()
    try:
        kept_under = current()
    except DatabaseError:
        kept_under = None
    if kept_under is None:
        return compute()
    now = time.monotonic()
    with _lock:
        entry = _entries.get(key)
        if entry is not None and entry[0] == kept_under and now - entry[1] < settings.CKAN_READ_CACHE_SECONDS:
            _entries.move_to_end(key)
            return entry[2]
    value = compute()
    with _lock:
        _entries[key] = (kept_under, now, value)
        _entries.move_to_end(key)
        while len(_entries) > settings.CKAN_READ_CACHE_ENTRIES:
            _entries.popitem(last=False)
    return value
