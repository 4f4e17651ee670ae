"""A stored copy of each dataset's package_show dict, so that a show costs one query.

`package_dictize` reads a dataset and six kinds of related rows (8 queries
and most of package_show's time); CKAN answers package_show from a JSON copy
kept in Solr. We keep ours in the database, in `PackageDictCache`:

- Every write that changes what a dataset's dict shows clears its copy in the
  write's own transaction (`bump`). What changes a dict is found from the
  rows saved and deleted, by model signals, not from the actions: a dataset,
  its resources, tags, extras, ratings, memberships and relationships; a
  group (its members show its name, title and revision); a dataset's state
  (its relationship partners show only active datasets). Inside a revision
  the ids are collected and cleared once, when the revision ends; a save
  outside any revision (a migration, the shell) clears at once.
- A read that finds no copy builds the dict and stores it, but only if the
  copy's `version` is still the one it saw (a random token that every bump
  renews), so a read that raced a write never stores the older dict.
- Reads inside a revision (an action that reads what it is writing) bypass
  the copy.
"""
import contextvars
import json
import logging
import secrets

import orjson
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save

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
    from catalog.revisions import current_revision

    if current_revision() is not None:
        return build(package)
    bumped = _just_bumped.get()
    if bumped and package.pk in bumped and not models.Package.dict_cache.is_cached(package):
        # This thread's write has just cleared it (the answer of package_create/update):
        # no need to look; the store still checks the version.
        version = bumped.pop(package.pk)
    else:
        row = _cached_row(package)
        if row is not None and row.data is not None:
            return orjson.loads(row.data)
        version = row.version if row is not None else None
    result = build(package)
    _store(package.pk, version, dumps(result))
    return result


def remember(package, result):
    """Keep `result`, the dict this thread's write has just answered with, as the stored copy.

    Only for a dataset the write itself cleared (its version is known here), so
    the next package_show finds the copy instead of building it.
    """
    bumped = _just_bumped.get()
    if bumped and package.pk in bumped:
        _store(package.pk, bumped.pop(package.pk), dumps(result))


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


# ---------------------------------------------------------------- invalidation

# {package id: version} of the dicts this thread's last write cleared (a few at most).
_just_bumped = contextvars.ContextVar("dict_cache_just_bumped", default=None)
_REMEMBER = 20


def bump(package_ids):
    """Clear the stored dicts of these (existing) datasets, renewing their version (inside a write)."""
    ids = sorted(set(package_ids))
    tokens = {pk: _token() for pk in ids}
    _just_bumped.set(dict(list(tokens.items())[:_REMEMBER]))
    for start in range(0, len(ids), _BATCH):
        models.PackageDictCache.objects.bulk_create(
            [models.PackageDictCache(package_id=pk, version=tokens[pk], data=None) for pk in ids[start:start + _BATCH]],
            update_conflicts=True,
            unique_fields=["package"],
            update_fields=["version", "data"],
        )


def _clear_now(package_ids):
    """Outside a revision: clear existing copies (a dataset being deleted may have none)."""
    models.PackageDictCache.objects.filter(pk__in=list(package_ids)).update(version=_token(), data=None)


class Pending:
    """What a revision changed that package dicts show, cleared by `flush` when it ends."""

    def __init__(self):
        self.package_ids = set()
        self.saved_package_ids = set()  # datasets whose row was saved: their partners may change
        self.created_package_ids = set()
        self.deleted_package_ids = set()
        self.group_ids = set()
        self.tag_ids = set()

    def flush(self):
        ids = set(self.package_ids)
        if self.group_ids:
            ids.update(
                models.Member.objects.filter(group_id__in=self.group_ids).values_list("package_id", flat=True)
            )
        if self.tag_ids:
            ids.update(
                models.PackageTag.objects.filter(tag_id__in=self.tag_ids).values_list("package_id", flat=True)
            )
        partners_of = self.saved_package_ids - self.created_package_ids
        if partners_of:
            for subject_id, object_id in models.PackageRelationship.objects.filter(
                Q(subject_id__in=partners_of) | Q(object_id__in=partners_of)
            ).values_list("subject_id", "object_id"):
                ids.update((subject_id, object_id))
        ids -= self.deleted_package_ids
        if ids:
            bump(ids)


def _pending():
    from catalog.revisions import current_dict_changes

    return current_dict_changes()


def _changed(package_ids=(), group_ids=(), tag_ids=()):
    pending = _pending()
    if pending is not None:
        pending.package_ids.update(package_ids)
        pending.group_ids.update(group_ids)
        pending.tag_ids.update(tag_ids)
        return
    ids = set(package_ids)
    if group_ids:
        ids.update(models.Member.objects.filter(group_id__in=group_ids).values_list("package_id", flat=True))
    if tag_ids:
        ids.update(models.PackageTag.objects.filter(tag_id__in=tag_ids).values_list("package_id", flat=True))
    if ids:
        _clear_now(ids)


def _package_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    pending = _pending()
    if pending is None:
        partners = models.PackageRelationship.objects.filter(Q(subject_id=instance.pk) | Q(object_id=instance.pk))
        ids = {instance.pk}
        for subject_id, object_id in partners.values_list("subject_id", "object_id"):
            ids.update((subject_id, object_id))
        _clear_now(ids)
        return
    pending.package_ids.add(instance.pk)
    pending.saved_package_ids.add(instance.pk)
    if created:
        pending.created_package_ids.add(instance.pk)
    pending.deleted_package_ids.discard(instance.pk)


def _package_deleted(sender, instance, **kwargs):
    pending = _pending()
    if pending is not None:
        pending.deleted_package_ids.add(instance.pk)
        pending.package_ids.discard(instance.pk)
        return
    partners = models.PackageRelationship.objects.filter(Q(subject_id=instance.pk) | Q(object_id=instance.pk))
    ids = set()
    for subject_id, object_id in partners.values_list("subject_id", "object_id"):
        ids.update((subject_id, object_id))
    ids.discard(instance.pk)
    if ids:
        _clear_now(ids)


def _child_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    _changed(package_ids=[instance.package_id])


def _relationship_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    _changed(package_ids=[instance.subject_id, instance.object_id])


def _group_changed(sender, instance, created=False, raw=False, **kwargs):
    if raw or created:  # a new group has no members yet (their Member rows signal themselves)
        return
    _changed(group_ids=[instance.pk])


def _tag_changed(sender, instance, created=False, raw=False, **kwargs):
    if raw or created:  # a new tag is on no dataset yet (its PackageTag rows signal themselves)
        return
    _changed(tag_ids=[instance.pk])


def connect():
    post_save.connect(_package_saved, sender=models.Package, dispatch_uid="dict_cache_package_saved")
    post_delete.connect(_package_deleted, sender=models.Package, dispatch_uid="dict_cache_package_deleted")
    for model in (models.Resource, models.PackageTag, models.PackageExtra, models.Rating, models.Member):
        for signal in (post_save, post_delete):
            signal.connect(_child_changed, sender=model, dispatch_uid=f"dict_cache_{model.__name__}_{id(signal)}")
    for signal in (post_save, post_delete):
        signal.connect(_relationship_changed, sender=models.PackageRelationship, dispatch_uid=f"dict_cache_rel_{id(signal)}")
    post_save.connect(_group_changed, sender=models.Group, dispatch_uid="dict_cache_group_saved")
    post_save.connect(_tag_changed, sender=models.Tag, dispatch_uid="dict_cache_tag_saved")
