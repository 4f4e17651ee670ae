"""Answers of the catalog-wide reads (package_list, tag_list, package_search), and the rows
package_show reads, kept per process until the catalog changes.

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

**Shared answers.** A caller that only writes the answer out as JSON (the
Action API's package_search) asks for `shared=True`: an answer this process
lacks is looked for in the table `catalog_keptanswer` (UNLOGGED: a crash may
empty it, and nothing is lost), under the same key and generation, before it is
computed; one it computes is put there for the other processes and hosts. Such
an answer comes back as its JSON text (an `orjson.Fragment`). At most
CKAN_READ_CACHE_ENTRIES rows of at most SHARED_MAX_BYTES are kept (plus one
per put racing another: each counts in its own snapshot), none used
once older than CKAN_READ_CACHE_SECONDS; a put that finds the table full first
deletes the rows of older generations.

package_show's rows (the dataset and its stored dict, `cached_rows`) are kept
apart, CKAN_READ_CACHE_DATASETS of them, so that showing many datasets does not
push out the answers that cost a search; access is still checked on every show.

Access checks run before the look-up, and only answers that depend on nothing
but the request's parameters are kept (the caller builds the key). On SQLite
(one process, no sequence) nothing is kept. CKAN_READ_CACHE_ENTRIES bounds the
entries per process (0 turns the cache off); CKAN_READ_CACHE_SECONDS bounds
how long one is kept, a safety net for a write whose advance was lost (the
database failed between its commit and the advance).
"""
import collections
import hashlib
import logging
import threading
import time

import orjson
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from catalog import models
from ckansite import generation, rows

log = logging.getLogger(__name__)

# The largest answer (its JSON) put in the shared table.
SHARED_MAX_BYTES = 1 << 20
SHARED_TABLE = "catalog_keptanswer"

_lock = threading.Lock()
# key -> (generation, kept at (monotonic s), value, asked: a client asked for it since it was computed)
_entries = collections.OrderedDict()
# The rows package_show reads, apart: many small entries that must not push out the costly answers.
_rows = collections.OrderedDict()
_MISSING = object()


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


def clear(shared=False):
    """Drop this process's kept answers (`shared`: and the shared ones, e.g. after a test's flush)."""
    with _lock:
        _entries.clear()
        _rows.clear()
    if shared and generation.kept(connections[DEFAULT_DB_ALIAS]):
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(f"DELETE FROM {SHARED_TABLE}")


def key_of(*parts):
    """A cache key for JSON-like `parts` (parameters as the client sent them), or None if they have none."""
    try:
        return orjson.dumps(parts, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return None


def cached(key, compute, shared=False, asked=True):
    """`compute()`, or the answer kept for `key` under the current generation. Treat it as read-only.

    `shared`: also look in, and put into, the table every process shares; the
    answer must be JSON (orjson), and one from the table comes back as its text.
    `asked=False`: computed ahead of any client (`stale_keys`), not on a client's request."""
    if key is None:
        return compute()
    kept_under = _generation()
    if kept_under is None:
        return compute()
    value = _get(_entries, key, kept_under)
    if value is not _MISSING:
        return value
    value = _shared_get(key, kept_under) if shared else None
    if value is None:
        value = compute()
        if shared:
            _shared_put(key, kept_under, value)
    _put(_entries, key, kept_under, value, settings.CKAN_READ_CACHE_ENTRIES, asked)
    return value


def stale_keys(prefix, most):
    """The keys starting with `prefix` of this process's kept answers not computed under the current
    generation, most recently used first, at most `most` of them (for the caller to compute them again).

    Only answers a client asked for since they were last computed: one computed ahead
    (`cached(asked=False)`) that no one asked for is not computed again at every write."""
    kept_under = _generation()
    if kept_under is None or most <= 0:
        return []
    with _lock:
        found = [key for key, entry in reversed(_entries.items())
                 if entry[0] != kept_under and entry[3] and key.startswith(prefix)]
    return found[:most]


def cached_rows(key, compute, keep):
    """`compute()` (database rows, as a tuple), or the rows kept for `key` under the current generation.

    For package_show's look-up of one dataset: kept apart from the answers of
    `cached`, CKAN_READ_CACHE_DATASETS of them, and only if `keep(rows)`."""
    kept_under = _generation() if settings.CKAN_READ_CACHE_DATASETS > 0 else None
    if kept_under is None:
        return compute()
    value = _get(_rows, key, kept_under)
    if value is _MISSING:
        value = compute()
        if keep(value):
            _put(_rows, key, kept_under, value, settings.CKAN_READ_CACHE_DATASETS)
    return value


def _generation():
    try:
        return current()
    except DatabaseError:
        return None


def _get(entries, key, kept_under):
    now = time.monotonic()
    with _lock:
        entry = entries.get(key)
        if entry is not None and entry[0] == kept_under and now - entry[1] < settings.CKAN_READ_CACHE_SECONDS:
            entries.move_to_end(key)
            if not entry[3]:
                entries[key] = entry[:3] + (True,)
            return entry[2]
    return _MISSING


def _put(entries, key, kept_under, value, most, asked=True):
    with _lock:
        entries[key] = (kept_under, time.monotonic(), value, asked)
        entries.move_to_end(key)
        while len(entries) > most:
            entries.popitem(last=False)


def _digest(key):
    return hashlib.sha256(key).hexdigest()


def _shared_get(key, kept_under):
    """The shared answer to `key` under generation `kept_under` (an orjson.Fragment), or None."""
    try:
        with rows.cursor(DEFAULT_DB_ALIAS) as cursor:
            cursor.execute(
                f"SELECT value FROM {SHARED_TABLE} WHERE key = %s AND generation = %s"
                " AND kept_at > now() - make_interval(secs => %s)",
                [_digest(key), kept_under, settings.CKAN_READ_CACHE_SECONDS],
            )
            row = cursor.fetchone()
    except DatabaseError:
        log.warning("Could not read the shared kept answers", exc_info=True)
        return None
    return orjson.Fragment(bytes(row[0])) if row else None


def _shared_put(key, kept_under, value):
    """Share `value`, unless it is too large or the table is full of current answers.

    Each statement locks at most one row and waits (the upsert), or waits for
    none (the clean-up skips locked rows): concurrent puts cannot deadlock."""
    try:
        text = orjson.dumps(value)
    except TypeError:
        return
    if len(text) > SHARED_MAX_BYTES:
        return
    params = [_digest(key), kept_under, text, settings.CKAN_READ_CACHE_ENTRIES]
    upsert = (
        f"INSERT INTO {SHARED_TABLE} (key, generation, value) SELECT %s, %s, %s "
        f"WHERE (SELECT count(*) FROM {SHARED_TABLE}) < %s "
        f"ON CONFLICT (key) DO UPDATE SET generation = EXCLUDED.generation, value = EXCLUDED.value,"
        f" kept_at = now() WHERE {SHARED_TABLE}.generation <= EXCLUDED.generation"
    )
    try:
        with rows.cursor(DEFAULT_DB_ALIAS) as cursor:
            cursor.execute(upsert, params)
            if cursor.rowcount:
                return
            # Full (or a newer answer is there): drop the answers no one can use any more, then try once more.
            cursor.execute(
                f"DELETE FROM {SHARED_TABLE} WHERE ctid = ANY(ARRAY(SELECT ctid FROM {SHARED_TABLE}"
                f" WHERE generation < %s OR kept_at < now() - make_interval(secs => %s) FOR UPDATE SKIP LOCKED))",
                [kept_under, settings.CKAN_READ_CACHE_SECONDS],
            )
            if cursor.rowcount:
                cursor.execute(upsert, params)
    except DatabaseError:
        log.warning("Could not share a kept answer", exc_info=True)
