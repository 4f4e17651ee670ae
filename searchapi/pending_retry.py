"""Retrying failed index updates without a write to carry them, nor a person.

Every write leaves a to-do row per changed dataset in `PendingIndex`
(searchapi.indexing), cleared once the dataset is indexed. A row stays when
the index update failed (Solr down, a node restarting) or never ran (the
process died after the commit); the next write retries such rows. When no
write comes, this thread does: each server process (a gunicorn worker,
started from gunicorn.conf.py) looks every CKAN_REINDEX_PENDING_INTERVAL
seconds for rows left behind and indexes them. Search then converges with the
database within about one interval of the engine coming back (or of the crash,
plus IN_FLIGHT). Several processes may retry at once: indexing a dataset twice
is harmless (each sends the dataset's current stored dict).
"""
import logging
import random
import threading

from django.db import close_old_connections, connection

log = logging.getLogger(__name__)


def retry_once():
    """Index the pending datasets, if any; returns (indexed, still pending), or None if none were."""
    from searchapi.indexing import left_behind, reindex_pending

    if not left_behind().exists():
        return None
    done, left = reindex_pending(left_behind_only=True)
    if done or left:
        log.info("Pending index updates retried: %d indexed, %d still pending", done, left)
    return done, left


def _loop(interval, stop):
    # Processes started together spread their first look over the interval.
    while not stop.wait(interval * random.uniform(0.5, 1.0)):
        close_old_connections()
        try:
            retry_once()
        except Exception:  # noqa: BLE001 - the database or engine is down: look again later
            log.warning("Retrying pending index updates failed; trying again in %ss", interval, exc_info=True)
        finally:
            # This thread's connection must not outlive a database restart unnoticed.
            connection.close()


def start(interval):
    """Start the retry thread (a daemon) in this process; returns its stop event, or None if disabled."""
    if interval <= 0:
        return None
    stop = threading.Event()
    threading.Thread(target=_loop, args=(interval, stop), name="reindex-pending", daemon=True).start()
    return stop
