"""Keeping the index in step with the database.

`catalog.signals.packages_changed` fires once per write, after commit, with
the ids of every dataset the write touched. `index_packages` then reads each
whole dataset again and updates (or removes) its one document. If the engine
fails, the write has already succeeded: the datasets are recorded in
`PendingIndex`, retried with the next write, and reconciled by
`manage.py reindex_pending` / `update_index`.

Concurrent writers: a document is always built from the database *after*
the write committed, and we re-read a cheap per-dataset revision count after
sending it; if another write committed meanwhile, we index again. Whichever
process sends last therefore sends the newest state.
"""
import logging

from django.db import DatabaseError
from django.db.models import Count
from django.utils import timezone
from haystack import connections

from catalog import loaded
from catalog.models import STATE_ACTIVE, Revision
from searchapi.models import PendingIndex
from searchapi.search_indexes import index_id

log = logging.getLogger(__name__)

MAX_ROUNDS = 3
PENDING_BATCH = 200


def _backend_and_index():
    from catalog.models import Package

    connection = connections["default"]
    return connection.get_backend(), connection.get_unified_index().get_index(Package)


def _fingerprints(package_ids):
    """How many revisions touched each dataset: grows with every committed write."""
    rows = (
        Revision.packages.through.objects.filter(package_id__in=package_ids)
        .values("package_id")
        .annotate(n=Count("id"))
    )
    return {row["package_id"]: row["n"] for row in rows}


def _sync(package_ids):
    from catalog.logic.dictization import package_queryset

    backend, index = _backend_and_index()
    ids = set(package_ids)
    for _ in range(MAX_ROUNDS):
        before = _fingerprints(ids)
        packages = list(package_queryset().filter(id__in=ids, state=STATE_ACTIVE))
        if packages:
            backend.update(index, packages)
        gone = ids - {p.id for p in packages}
        if gone:
            backend.remove_ids([index_id(pid) for pid in sorted(gone)])
        after = _fingerprints(ids)
        loaded.offer(p for p in packages if before.get(p.id) == after.get(p.id))
        ids = {pid for pid in ids if before.get(pid) != after.get(pid)}
        if not ids:
            return


def _record_failure(package_ids, error):
    now = timezone.now()
    message = f"{type(error).__name__}: {error}"[:2000]
    for package_id in package_ids:
        pending, created = PendingIndex.objects.get_or_create(
            package_id=package_id, defaults={"queued_at": now, "last_error": message}
        )
        if not created:
            pending.queued_at = now
            pending.attempts += 1
            pending.last_error = message
            pending.save(update_fields=["queued_at", "attempts", "last_error"])


def index_packages(package_ids, include_pending=True):
    """Update the index for these datasets (and any still pending); True if all went in."""
    started = timezone.now()
    ids = {str(pid) for pid in package_ids}
    # Which of `ids` may have a PendingIndex row to clear once indexed: the pending
    # rows read here (all of `ids` when that read failed or was cut at the batch size).
    # A row recorded after this read is newer than `started` and stays anyway.
    pending = set(ids)
    if include_pending:
        try:
            pending = set(PendingIndex.objects.values_list("package_id", flat=True)[:PENDING_BATCH])
            ids |= pending
            if len(pending) >= PENDING_BATCH:
                pending = set(ids)
        except DatabaseError:
            log.exception("Could not read the pending index updates")
    if not ids:
        return True
    try:
        _sync(ids)
    except Exception as error:  # the engine is down or broken: keep the write, retry later
        log.warning("Index update failed for %d dataset(s), recorded for re-indexing: %s", len(ids), error)
        try:
            _record_failure(sorted(ids), error)
        except DatabaseError:
            log.exception("Could not record datasets for re-indexing: run update_index when the database is back")
        return False
    if pending:
        PendingIndex.objects.filter(package_id__in=pending, queued_at__lte=started).delete()
    return True


def on_packages_changed(sender, package_ids=(), **kwargs):
    index_packages(package_ids)


def reindex_pending():
    """Retry every recorded dataset; returns (indexed, still pending)."""
    ids = list(PendingIndex.objects.values_list("package_id", flat=True))
    done = 0
    for start in range(0, len(ids), PENDING_BATCH):
        batch = ids[start:start + PENDING_BATCH]
        if index_packages(batch, include_pending=False):
            done += len(batch)
    return done, PendingIndex.objects.count()
