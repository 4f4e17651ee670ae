"""What one write changed: the change set that history, stored dicts and search follow.

Every catalog write runs in `catalog.revisions.revision()`, which owns one
`ChangeSet`. The set learns what changed from the rows saved and deleted (model
signals, plus `note_inserted` for bulk inserts, which send none), as CKAN's
modification extension learned it from what its session flushed. Nothing else
says what a write changed: actions, the admin and the shell all feed it the same way.

When the write's body has run, `ChangeSet.affected_packages()` adds the
dependents: the datasets whose dict shows something of a changed object.

- a group saved (its name, title, state, description or revision) → its member datasets;
- a dataset whose state changed → its relationship partners (a dict lists only
  relationships with active datasets);
- a tag renamed → the datasets that carry it;
- a rating given or withdrawn → its dataset (ratings are not versioned).

The Revision is linked to those datasets (every dataset whose dict the write
changed is part of its history) and to the groups whose own rows or
memberships changed. Then `publish()`, still in the write's transaction: every affected dataset is
locked (in id order; not one this write inserted, which no one else sees), read once and dictized once; the dicts are stored as the
datasets' package_show copies (`catalog.dict_cache`), kept for the action's
answer, and after commit handed to search with `catalog.signals.packages_changed`.
Locking before reading makes the dict include every write committed before it,
so a copy is never older than the database.

A save outside any revision (the shell, a script) makes a change set of its own:
the same dependents are found, their copies cleared at once, and search reads
them from the database after commit.
"""
import contextvars

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from catalog import dict_cache, models, readback
from catalog.logic.dictization import OPTIONAL_PREFETCHES, package_dictize
from catalog.signals import packages_changed, packages_changing

_current = contextvars.ContextVar("catalog_change_set", default=None)

# Rows whose save or delete changes their dataset's own history and dict.
PACKAGE_CHILDREN = (models.Resource, models.PackageTag, models.PackageExtra)


class ChangeSet:
    """The datasets and groups one write changed, and (once published) their new dicts."""

    def __init__(self):
        self.packages = set()  # datasets whose own rows changed: their history shows the write
        self.groups = set()  # groups whose own rows or memberships changed
        self.rated = set()  # datasets whose ratings changed
        self.state_changed = set()  # datasets whose state changed: their partners show it
        self.saved_groups = set()  # existing groups saved: their members show them
        self.renamed_tags = set()
        self.purged = set()  # dataset rows deleted
        self.purged_groups = set()
        self.created = set()  # datasets inserted by this write
        self.related = {}  # {dataset id: OPTIONAL_PREFETCHES whose rows this write saved or deleted}
        self.affected = None  # after resolve(): every dataset whose dict changed
        self.built = {}  # after publish(): {package id: (Package, package_show dict)}

    def is_empty(self):
        return not (self.packages or self.groups or self.rated or self.saved_groups or self.renamed_tags
                    or self.purged or self.purged_groups)

    # ------------------------------------------------------------ what changed

    def resolve(self):
        """Fix the set once the write's body has run: the datasets (with dependents) and groups it changed."""
        self.affected = self.affected_packages()
        return self.affected, self.groups - self.purged_groups

    def affected_packages(self):
        """Every dataset whose package_show dict this write changed: the one place dependents are found."""
        ids = set(self.packages) | self.rated
        if self.saved_groups:
            ids.update(
                models.Member.objects.filter(group_id__in=self.saved_groups).values_list("package_id", flat=True)
            )
        if self.state_changed:
            for subject_id, object_id in models.PackageRelationship.objects.filter(
                Q(subject_id__in=self.state_changed) | Q(object_id__in=self.state_changed)
            ).values_list("subject_id", "object_id"):
                ids.update((subject_id, object_id))
        if self.renamed_tags:
            ids.update(
                models.PackageTag.objects.filter(tag_id__in=self.renamed_tags).values_list("package_id", flat=True)
            )
        return ids - self.purged

    # ------------------------------------------------------------ publishing

    def publish(self):
        """Build, store and (after commit) index the dict of every affected dataset. In the write's transaction."""
        ids = sorted(self.affected if self.affected is not None else self.affected_packages())
        versions = {}
        if ids:
            packages = self._read(ids)
            for pk in ids:
                if pk in packages:
                    self.built[pk] = (packages[pk], package_dictize(packages[pk], {}))
            versions = dict_cache.store_written({pk: built[1] for pk, built in self.built.items()})
        written = {pk: (versions[pk], built[1]) for pk, built in self.built.items()}
        self._announce(set(ids) | self.purged, written)

    def _read(self, ids):
        """{id: Package} of `ids` (sorted), each with everything dictization reads (catalog.readback).

        A dataset that existed before this write is locked as it is read (in id
        order, in the same statement): the dicts then show every write committed
        before ours. One this write inserted needs no lock (no other transaction
        sees it) and has no memberships, relationships or ratings but those this
        write saved: the others are not read, and are marked empty.
        """
        packages = readback.packages([pk for pk in ids if pk not in self.created], lock=True)
        by_skip = {}
        for pk in ids:
            if pk in self.created:
                skip = tuple(name for name in OPTIONAL_PREFETCHES if name not in self.related.get(pk, ()))
                by_skip.setdefault(skip, []).append(pk)
        for skip, pks in by_skip.items():
            packages.update(readback.packages(pks, skip=skip))
        return packages

    def publish_outside_revision(self):
        """For a save outside any revision: clear the affected copies; search reads them after commit.

        Nothing is built here: the save may be one step of a larger change (a
        cascade of deletes) whose other rows are not written yet.
        """
        ids = self.affected_packages()
        dict_cache.clear(ids)
        self._announce(ids | self.purged, {})

    @staticmethod
    def _announce(package_ids, written):
        if package_ids:
            package_ids = sorted(package_ids)
            packages_changing.send(sender=ChangeSet, package_ids=package_ids)
            transaction.on_commit(
                lambda: packages_changed.send(sender=ChangeSet, package_ids=package_ids, written=written)
            )

    def package_dict(self, package_id):
        """The dict this write built for a dataset (after publish), or None."""
        built = self.built.get(package_id)
        return built[1] if built else None

    def package(self, package_id):
        """The dataset as this write read it back, with everything dictization needs, or None."""
        built = self.built.get(package_id)
        return built[0] if built else None


def collecting(change_set):
    """Make `change_set` the one saves record into; returns the token for `stop_collecting`."""
    return _current.set(change_set)


def stop_collecting(token):
    _current.reset(token)


def _record(note):
    """Apply `note(change_set)` to the current change set, or to one of its own, published at once."""
    change_set = _current.get()
    if change_set is not None:
        note(change_set)
        return
    change_set = ChangeSet()
    note(change_set)
    change_set.publish_outside_revision()


# ---------------------------------------------------------------- what rows say

def note_inserted(objs):
    """Rows inserted without post_save (bulk_create): recorded as saved."""
    for obj in objs:
        _row_saved(type(obj), obj, created=True)


def _package_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return

    def note(change_set):
        change_set.packages.add(instance.pk)
        change_set.purged.discard(instance.pk)
        if created:
            change_set.created.add(instance.pk)
        if not created and getattr(instance, "state_changed", True):
            change_set.state_changed.add(instance.pk)

    _record(note)


def _package_deleted(sender, instance, **kwargs):
    _record(lambda change_set: change_set.purged.add(instance.pk))


def _row_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    _record(lambda change_set: change_set.packages.add(instance.package_id))


def _note_related(change_set, package_id, *names):
    change_set.related.setdefault(package_id, set()).update(names)


def _rating_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return

    def note(change_set):
        change_set.rated.add(instance.package_id)
        _note_related(change_set, instance.package_id, "ratings")

    _record(note)


def _member_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return

    def note(change_set):
        change_set.packages.add(instance.package_id)
        change_set.groups.add(instance.group_id)
        _note_related(change_set, instance.package_id, "memberships")

    _record(note)


def _relationship_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    def note(change_set):
        change_set.packages.update((instance.subject_id, instance.object_id))
        for package_id in (instance.subject_id, instance.object_id):
            _note_related(change_set, package_id, "relationships_as_subject", "relationships_as_object")

    _record(note)


def _group_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return

    def note(change_set):
        change_set.groups.add(instance.pk)
        if not created:  # a new group has no members yet (their Member rows record themselves)
            change_set.saved_groups.add(instance.pk)

    _record(note)


def _group_deleted(sender, instance, **kwargs):
    # Its memberships are deleted with it and record their datasets themselves.
    _record(lambda change_set: change_set.purged_groups.add(instance.pk))


def _group_extra_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    _record(lambda change_set: change_set.groups.add(instance.group_id))


def _tag_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or created:  # a new tag is on no dataset yet (its PackageTag rows record themselves)
        return
    _record(lambda change_set: change_set.renamed_tags.add(instance.pk))


def connect():
    post_save.connect(_package_saved, sender=models.Package, dispatch_uid="changes_package_saved")
    post_delete.connect(_package_deleted, sender=models.Package, dispatch_uid="changes_package_deleted")
    for model in PACKAGE_CHILDREN:
        post_save.connect(_row_saved, sender=model, dispatch_uid=f"changes_{model.__name__}_saved")
        post_delete.connect(_row_saved, sender=model, dispatch_uid=f"changes_{model.__name__}_deleted")
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(_rating_changed, sender=models.Rating, dispatch_uid=f"changes_rating_{name}")
        signal.connect(_member_changed, sender=models.Member, dispatch_uid=f"changes_member_{name}")
        signal.connect(_relationship_changed, sender=models.PackageRelationship,
                       dispatch_uid=f"changes_relationship_{name}")
        signal.connect(_group_extra_changed, sender=models.GroupExtra, dispatch_uid=f"changes_group_extra_{name}")
    post_save.connect(_group_saved, sender=models.Group, dispatch_uid="changes_group_saved")
    post_delete.connect(_group_deleted, sender=models.Group, dispatch_uid="changes_group_deleted")
    post_save.connect(_tag_saved, sender=models.Tag, dispatch_uid="changes_tag_saved")
