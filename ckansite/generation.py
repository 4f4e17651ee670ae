"""The catalog's generation, and how far the search index has caught up with it.

Two PostgreSQL sequences:

- `catalog_generation`: every write advances it after its commit and its index
  update (catalog.read_cache keeps answers under it);
- `search_searchable_generation`: the generation up to which every index update
  is searchable. On Solr, writes do not soft-commit: the first search that finds
  this one behind the first soft-commits, then moves it up (searchapi.engine),
  as does each process that wrote once its writes pause (searchapi.idle_commit).
  A soft commit opens a new searcher, which cost Solr more than the update: with
  commits made by reads, a burst of writes pays for one.

This module is what the API key look-up (accounts.authentication) needs to read
both in the same round trip as the key's user, without importing the catalog:
the SQL, whether it may be read now, and where the values read for the current
request are kept.
"""
import threading
from typing import NamedTuple

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

SEQUENCE = "catalog_generation"
SEARCHABLE_SEQUENCE = "search_searchable_generation"


def _value(sequence):
    return f"(SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {sequence})"


# The generation as a scalar SQL expression (0 before the first write).
SQL = _value(SEQUENCE)
# The generation, then the searchable generation: two columns of a select list.
STATE_SQL = f"{SQL}, {_value(SEARCHABLE_SEQUENCE)}"


class State(NamedTuple):
    current: int      # the catalog's generation
    searchable: int   # every index update of a write up to this generation is searchable


# The state read at the start of this thread's current request, or None.
_request = threading.local()


def readable(connection):
    """Whether kept answers may be used on `connection` now: on, PostgreSQL, outside a transaction."""
    return (
        settings.CKAN_READ_CACHE_ENTRIES > 0
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
    )


def kept(connection):
    """Whether `connection`'s database keeps the generations (PostgreSQL; SQLite has no sequences)."""
    return connection.vendor == "postgresql"


def read(alias=DEFAULT_DB_ALIAS):
    """The State now, from the database (the one noted for this request if there is one)."""
    state = noted()
    if state is not None:
        return state
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT {STATE_SQL}")
        return State(*cursor.fetchone())


def searchable_now(alias=DEFAULT_DB_ALIAS):
    """The searchable generation as the database has it now (never the noted one)."""
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT {_value(SEARCHABLE_SEQUENCE)}")
        return cursor.fetchone()[0]


def mark_searchable(value, alias=DEFAULT_DB_ALIAS):
    """Record that every index update up to generation `value` is searchable.

    Never moves it back past a concurrent, higher mark (two marks racing can at
    worst leave it lower than it could be: one soft commit too many, later)."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            f"SELECT setval('{SEARCHABLE_SEQUENCE}', %s) WHERE {_value(SEARCHABLE_SEQUENCE)} < %s",
            [value, value],
        )
    state = noted()
    if state is not None:
        note(State(state.current, max(state.searchable, value)))


def note(state):
    """Remember the State read at the start of this thread's request (None: forget it)."""
    _request.state = state


def noted():
    """The State noted for this thread's request, or None."""
    return getattr(_request, "state", None)
