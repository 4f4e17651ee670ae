"""Keeping the index in step with the database.

`catalog.signals.packages_changed` fires once per write, after commit, with
the ids of every dataset the write changed (its change set, catalog.changes)
and `written`: {id: (version, dict)}, the package_show dicts the write built
and stored. Those dicts are indexed as they are (a dataset not active, or not
among them, is removed or read again).

`PendingIndex` is the index's to-do list, written in the write's own
transaction (`catalog.signals.packages_changing`): a row per changed dataset,
committed with the write, deleted once the dataset is indexed. If the engine
fails, the row stays (with the error); if the process dies between the
commit and the index update (a killed worker, a crashed host), the row stays
too. Either way the next write, the retry timer of every server process
(searchapi.pending_retry) or `manage.py reindex_pending` indexes it: no
committed write is missing from search for long, whatever fails. A batch the
engine refuses (Solr's 4xx: a document it cannot take) is sent again one
dataset at a time, so that only the refused dataset stays pending.

Concurrent writers: each write stores its dicts with a new random version
(catalog.dict_cache). After sending, the versions are read again; a dataset
whose version moved was written meanwhile by a write that may have indexed
before us, so it is indexed again from its stored copy (or the database),
until the versions hold still. Whichever process sends last therefore sends
the newest state.
"""
import logging
from datetime import timedelta

from django.db import DatabaseError
from django.db.models import Q
from django.utils import timezone
from haystack import connections

from catalog import dict_cache, read_cache
from catalog.models import STATE_ACTIVE
from searchapi import idle_commit
from searchapi.models import PendingIndex
from searchapi.search_indexes import index_id
from searchapi.solr_nodes import refused

log = logging.getLogger(__name__)

MAX_ROUNDS = 3
PENDING_BATCH = 200
# A to-do row younger than this, never attempted, is a write still indexing its
# own datasets: others leave it to that write (they would index the same dict).
IN_FLIGHT = timedelta(seconds=20)


def _backend_and_index():
    from catalog.models import Package

    connection = connections["default"]
    return connection.get_backend(), connection.get_unified_index().get_index(Package)


def _read(ids):
    """{id: (version, dict)} of these datasets from the database: the stored copy, else built."""
    from catalog.logic.dictization import package_dictize, package_queryset

    found = {}
    copies = dict_cache.stored(ids)
    missing = set(ids)
    for pk, (version, data) in copies.items():
        if data is not None:
            found[pk] = (version, data)
            missing.discard(pk)
    if missing:
        for package in package_queryset().filter(id__in=missing):
            version = copies.get(package.pk, (None, None))[0]
            found[package.pk] = (version, package_dictize(package, {}))
    return found


def _send(backend, index, ids, dicts, commit):
    """Index the active datasets of `dicts`; remove every other id of `ids`."""
    active = [d for _, d in (dicts.get(pk, (None, None)) for pk in sorted(ids)) if d and d.get("state") == STATE_ACTIVE]
    if active:
        backend.update(index, active, commit=commit)
    gone = set(ids) - {d["id"] for d in active}
    if gone:
        backend.remove_ids([index_id(pk) for pk in sorted(gone)], commit=commit)


def defers_commits(backend=None):
    """Whether updates go uncommitted, for the next search to commit (Solr on PostgreSQL: ckansite.generation)."""
    backend = backend or connections["default"].get_backend()
    return getattr(backend, "defers_commits", False)


def _sync(package_ids, written=None):
    backend, index = _backend_and_index()
    commit = not defers_commits(backend)
    ids = set(package_ids)
    dicts = dict(written or {})
    unread = ids - set(dicts)
    if unread:
        dicts.update(_read(unread))
    for _ in range(MAX_ROUNDS):
        _send(backend, index, ids, dicts, commit)
        now = dict_cache.versions(ids)
        ids = {pk for pk in ids if now.get(pk) != dicts.get(pk, (None, None))[0]}
        if not ids:
            return
        dicts = _read(ids)


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


def left_behind(now=None):
    """The to-do rows no running write will clear: failed ones, and ones older than IN_FLIGHT."""
    now = now or timezone.now()
    return PendingIndex.objects.filter(Q(attempts__gt=0) | Q(queued_at__lt=now - IN_FLIGHT))


def record_changing(sender=None, package_ids=(), **kwargs):
    """In the write's transaction: a to-do row per dataset, committed (or rolled back) with the write."""
    now = timezone.now()
    PendingIndex.objects.bulk_create(
        [PendingIndex(package_id=str(pk), queued_at=now, attempts=0) for pk in sorted(package_ids)],
        update_conflicts=True, unique_fields=["package_id"], update_fields=["queued_at"],
    )


def index_packages(package_ids, include_pending=True, written=None, retry=False):
    """Update the index for these datasets (and any left pending); True if all went in.

    `written`: {id: (version, dict)} the write built, indexed without reading them again.
    `retry`: no write changed the database (reindex_pending): if the engine refused
    every dataset on its own, nothing reached the index and the generation stays.
    """
    started = timezone.now()
    ids = {str(pid) for pid in package_ids}
    if include_pending:
        try:
            ids |= set(left_behind(started).values_list("package_id", flat=True)[:PENDING_BATCH])
        except DatabaseError:
            log.exception("Could not read the pending index updates")
    if not ids:
        return True
    refused_alone = set()
    try:
        return _index(ids, written, started, refused_alone)
    finally:
        # Committed (and indexed, or recorded for a retry that advances again): answers
        # kept by any process are stale now, and the next search commits our updates.
        # (A retry of datasets the engine refuses would otherwise empty every process's
        # kept answers at each interval of the retry timer.)
        if not (retry and refused_alone == ids):
            _have_committed(advanced=read_cache.advance())


def _have_committed(advanced):
    """Updates sent uncommitted: have them committed once this process's writes pause
    (searchapi.idle_commit), or now if the generation could not be advanced (no search
    would know to commit them)."""
    backend = connections["default"].get_backend()
    if not defers_commits(backend):
        return
    if advanced:
        idle_commit.note_write()
        return
    try:
        backend.make_searchable()
    except Exception:
        log.exception("Could not make the index updates searchable: a search after the next write will")


def _index(ids, written, started, refused_alone):
    """Send these datasets; True if all went in. Adds to `refused_alone` each one refused on its own."""
    try:
        _sync(ids, written)
    except Exception as error:  # the engine is down or broken: keep the write, retry later
        is_refused = refused(error)
        if len(ids) > 1 and is_refused:
            # One document the engine refuses must not hold back the others (each write's
            # batch takes in the datasets left pending): send each on its own.
            log.warning("The index refused a batch of %d dataset(s); indexing each on its own: %s", len(ids), error)
            results = [_index({pk}, _only(written, pk), started, refused_alone) for pk in sorted(ids)]
            return all(results)
        if is_refused:
            refused_alone.update(ids)
        # A refusal says all in its message (Solr's reason); a traceback would repeat at every retry.
        log.warning("Index update failed for %d dataset(s), recorded for re-indexing: %r", len(ids), error,
                    exc_info=not is_refused)
        try:
            _record_failure(sorted(ids), error)
        except DatabaseError:
            log.exception("Could not record datasets for re-indexing: run update_index when the database is back")
        return False
    # Rows queued after `started` belong to later writes, which read newer dicts.
    try:
        _clear_pending(ids, started)
    except DatabaseError:
        # The write is committed and indexed; its to-do rows only cost a harmless retry later.
        log.warning("Could not clear %d indexed dataset(s) from the to-do list", len(ids), exc_info=True)
    return True


def _only(written, pk):
    return {pk: written[pk]} if written and pk in written else None


def _clear_pending(ids, started):
    """Delete these datasets' to-do rows queued by `started`, in one DELETE.

    QuerySet.delete() would first SELECT the rows and then delete them by id in
    a transaction of its own (four queries): catalog.versions listens to every
    model's post_delete. A to-do row has no dependents and no version.
    """
    rows = PendingIndex.objects.filter(package_id__in=ids, queued_at__lte=started)
    return rows._raw_delete(rows.db)


def on_packages_changed(sender, package_ids=(), written=None, **kwargs):
    index_packages(package_ids, written=written)


def reindex_pending(left_behind_only=False):
    """Retry every recorded dataset (only those no running write will clear); returns (indexed, still pending)."""
    rows = left_behind() if left_behind_only else PendingIndex.objects.all()
    ids = list(rows.values_list("package_id", flat=True))
    done = 0
    for start in range(0, len(ids), PENDING_BATCH):
        batch = ids[start:start + PENDING_BATCH]
        if index_packages(batch, include_pending=False, retry=True):
            done += len(batch)
    return done, PendingIndex.objects.count()
