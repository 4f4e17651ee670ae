"""The catalog's generation: a PostgreSQL sequence every write advances (see catalog.read_cache).

This module is what the API key look-up (accounts.authentication) needs to read
the generation in the same round trip as the key's user, without importing the
catalog: the SQL expression, whether it may be read now, and where the value
read for the current request is kept.
"""
import threading

from django.conf import settings

SEQUENCE = "catalog_generation"

# The generation as a scalar SQL expression (0 before the first write).
SQL = f"(SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {SEQUENCE})"

# The generation read at the start of this thread's current request, or None.
_request = threading.local()


def readable(connection):
    """Whether kept answers may be used on `connection` now: on, PostgreSQL, outside a transaction."""
    return (
        settings.CKAN_READ_CACHE_ENTRIES > 0
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
    )


def note(value):
    """Remember the generation read at the start of this thread's request (None: forget it)."""
    _request.generation = value


def noted():
    """The generation noted for this thread's request, or None."""
    return getattr(_request, "generation", None)
