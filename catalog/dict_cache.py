"""A stored copy of each dataset's package_show dict, so that a show costs one query.

`package_dictize` reads a dataset and six kinds of related rows (8 queries
and most of package_show's time); CKAN answers package_show from a JSON copy
kept in Solr. We keep ours in the database, in `PackageDictCache`:

- Every write stores the new dict of each dataset it changed, in its own
  transaction, with a new random `version` (`store_written`, called by
  `catalog.changes`, which also decides which datasets changed). Search is
  handed the same dicts and reads `versions` to see whether a later write
  overtook them.
- A save outside any write clears the copies it affects (`clear`).
- A read that finds no copy builds the dict and stores it, but only if the
  copy's `version` is still the one it saw, so a read that raced a write
  never stores the older dict.
- Reads inside a write (an action that reads what it is writing) bypass the copy.
"""
import json
import logging
import secrets

import orjson
from django.db import DatabaseError, transaction

from catalog import models

log = logging.getLogger(__name__)

_BATCH = 500


def dumps(value):
    """JSON text of `value` (orjson; the json module for what orjson refuses, e.g. huge ints)."""
    try:
        return orjson.dumps(value).decode("utf-8")
    except TypeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _token():
    return secrets.randbits(62)


# ---------------------------------------------------------------- reading

def _cached_row(package):
    """The PackageDictCache row of `package`: the select_related one if loaded, else queried."""
    if models.Package.dict_cache.is_cached(package):
        try:
            return package.dict_cache
        except models.PackageDictCache.DoesNotExist:
            return None
    return models.PackageDictCache.objects.filter(pk=package.pk).first()


def package_dict(package, build):
    """The package_show dict of `package`, from its stored copy, else `build(package)` (then stored).

    `build(package)` returns the dict (package_dictize of a fully prefetched package).
    """
    if models.writing_revision.get() is not None:
        return build(package)
    row = _cached_row(package)
    if row is not None and row.data is not None:
        return orjson.loads(row.data)
    result = build(package)
    _store(package.pk, row.version if row is not None else None, dumps(result))
    return result


def stored(package_ids):
    """{package id: (version, dict or None)} of the stored copies of these datasets."""
    found = {}
    for pk, version, data in models.PackageDictCache.objects.filter(pk__in=list(package_ids)).values_list(
        "package_id", "version", "data"
    ):
        found[pk] = (version, orjson.loads(data) if data is not None else None)
    return found


def versions(package_ids):
    """{package id: version} of the stored copies (a dataset without one is absent)."""
    return dict(
        models.PackageDictCache.objects.filter(pk__in=list(package_ids)).values_list("package_id", "version")
    )


def _store(package_id, version, text):
    """Store a built dict, unless a write renewed the version since it was read. One statement."""
    try:
        if transaction.get_autocommit():
            _store_statement(package_id, version, text)
        else:
            with transaction.atomic():  # a savepoint: a failure leaves the caller's transaction usable
                _store_statement(package_id, version, text)
    except DatabaseError:
        # Only a copy: the next read builds it again.
        log.warning("Could not store the dict of dataset %s", package_id, exc_info=True)


def _store_statement(package_id, version, text):
    if version is None:
        models.PackageDictCache.objects.bulk_create(
            [models.PackageDictCache(package_id=package_id, version=_token(), data=text)],
            ignore_conflicts=True,
        )
    else:
        models.PackageDictCache.objects.filter(pk=package_id, version=version, data__isnull=True).update(data=text)


# ---------------------------------------------------------------- writing

def store_written(dicts):
    """Store `{package id: dict}` as the datasets' copies with new versions (inside a write); returns the versions."""
    ids = sorted(dicts)
    tokens = {pk: _token() for pk in ids}
    for start in range(0, len(ids), _BATCH):
        models.PackageDictCache.objects.bulk_create(
            [
                models.PackageDictCache(package_id=pk, version=tokens[pk], data=dumps(dicts[pk]))
                for pk in ids[start:start + _BATCH]
            ],
            update_conflicts=True,
            unique_fields=["package"],
            update_fields=["version", "data"],
        )
    return tokens


def clear(package_ids):
    """Drop the copies of these datasets (renewing their versions); the next read rebuilds them."""
    ids = sorted(package_ids)
    for start in range(0, len(ids), _BATCH):
        models.PackageDictCache.objects.filter(pk__in=ids[start:start + _BATCH]).update(version=_token(), data=None)
