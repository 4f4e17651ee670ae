"""Soft-committing Solr once writes pause, so that the next search need not.

On Solr with PostgreSQL, writes send their index updates uncommitted and the
first search that finds the index behind soft-commits them
(`searchapi.engine.make_searchable`): a burst of writes pays for one commit.
But that search then waits for the commit and for the first queries on Solr's
new searcher, and so do the searches that arrive with it: after the bench's
write phases, the first round of its 20 searches at 8 threads took up to
115 ms each, a third of the phase.

So each process that wrote also commits on its own once its writes have paused
for CKAN_SEARCH_COMMIT_IDLE seconds, from a daemon thread started at its first
write. It calls the very function searches call, which commits only if the
index is still behind the catalog's generation (`ckansite.generation`) and
queues with them on the host's commit lock: a search in the meantime still
commits for itself (read-after-write is unchanged), and several processes or
hosts that wrote commit once between them. A steady stream of writes leaves
the commit to searches, as before.

Then it computes again, under the new generation, the CKAN_SEARCH_WARM
package_search answers it had kept most recently (`searchapi.answers.warm`),
as Solr autowarms its caches on a new searcher: the write made every kept answer
stale, and the clients who asked them are likely to ask again. Only answers a
client asked for since they were last computed are: an answer no one asks for
any more is computed ahead once, not after every write. Each goes into
the table every process shares (catalog.read_cache), so any process or host
answers them with one look-up. A write during the warming makes what it
computed stale too, as it would any search's.
"""
import logging
import os
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection
from haystack import connections

from searchapi import answers
from searchapi.engine import make_searchable

log = logging.getLogger(__name__)


class IdleCommitter:
    """Runs `commit` once no `note_write` came for its `delay` seconds (in a thread of its own)."""

    def __init__(self, commit):
        self.commit = commit
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._deadline = 0.0
        self._pid = None  # the process whose thread runs (a fork starts its own)

    def note_write(self, delay):
        """A write sent uncommitted updates: commit them `delay` seconds after the last such write."""
        with self._lock:
            self._deadline = time.monotonic() + delay
            if self._pid != os.getpid():
                self._pid = os.getpid()
                self._wake = threading.Event()
                threading.Thread(target=self._run, args=(self._wake,), name="search-idle-commit",
                                 daemon=True).start()
            self._wake.set()

    def _run(self, wake):
        while True:
            wake.wait()
            while True:
                with self._lock:
                    left = self._deadline - time.monotonic()
                    if left <= 0:
                        wake.clear()
                        break
                time.sleep(left)
            self._commit_once()

    def _commit_once(self):
        close_old_connections()
        try:
            self.commit()
        except Exception:  # noqa: BLE001 - the database or Solr is down: the next search commits
            log.warning("Committing the index after writes paused failed; the next search will", exc_info=True)
        finally:
            # This thread's connection must not outlive a database restart unnoticed.
            connection.close()


def _commit():
    make_searchable(connections["default"].get_backend())
    answers.warm(settings.CKAN_SEARCH_WARM)


_committer = IdleCommitter(_commit)


def note_write():
    """After a write's updates were sent uncommitted (and the generation advanced): commit when writes pause."""
    if settings.CKAN_SEARCH_COMMIT_IDLE > 0:
        _committer.note_write(settings.CKAN_SEARCH_COMMIT_IDLE)
