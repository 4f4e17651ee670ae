"""Saving a validated package graph: the dataset, its resources, tags, extras,
group memberships and relationships.

Run inside `revision(context)`: every row saved is stamped with the revision
and versioned. Only rows whose values change are saved, and children that
leave the dataset are kept as `deleted` (so history can show them), exactly
as CKAN 1.6 did.
"""
from django.db.models import Q
from django.utils import timezone

from catalog import bulk, changes, versions
from catalog.logic.errors import NotFound, ValidationError
from catalog.logic.schemas import ID_TAKEN, chosen_id, ref_label, resolve_groups
from catalog.models import (
    STATE_ACTIVE,
    STATE_DELETED,
    Member,
    Package,
    PackageExtra,
    PackageRelationship,
    PackageTag,
    Resource,
    Tag,
)
from catalog.revisions import current_revision

PACKAGE_FIELDS = [
    "name", "title", "url", "version", "author", "author_email", "maintainer", "maintainer_email", "notes",
    "license_id", "type", "state",
]
RESOURCE_FIELDS = [
    "url", "format", "description", "hash", "name", "resource_type", "mimetype", "mimetype_inner", "size",
    "last_modified", "cache_url", "cache_last_updated", "webstore_url", "webstore_last_updated",
]
CHILD_KEYS = ["resources", "tags", "extras", "groups"]


def _assign(obj, values):
    """Set attributes; True if any value changed."""
    changed = False
    for field, value in values.items():
        if getattr(obj, field) != value:
            setattr(obj, field, value)
            changed = True
    return changed


def _insert(objs):
    """INSERT new versioned rows in one query, stamped and versioned as save() would.

    bulk_create sends no post_save, so each row is added to the write's
    versions (catalog.versions) and change set explicitly.
    """
    if not objs:
        return
    rev = current_revision()
    if rev is not None:
        for obj in objs:
            obj.revision_id = rev.id
            obj.revision_timestamp = rev.timestamp
    bulk.insert(objs)
    changes.note_inserted(objs)
    versions.saved_rows(objs)


def package_dict_save(data, context, package=None, *, partial=False):
    """Create or update a dataset from a cleaned dict; returns the Package.

    On update, core fields absent from `data` keep their values. Children
    (resources, tags, extras, groups) absent from `data` are emptied, as CKAN
    1.6's package_update did, unless `partial` (the REST update: "fields that
    you don't supply will remain", and extras merge key by key, null deleting
    one). Relationships change only when their keys are given.
    """
    core = {field: data[field] for field in PACKAGE_FIELDS if field in data}
    created = package is None
    if created:
        package = Package(**core)
        if data.get("id"):  # validated: a sysadmin keeping a free UUID
            package.id = data["id"]
            if data.get("resource_group_id"):
                package.resource_group_id = data["resource_group_id"]
    else:
        _assign(package, core)
    package.metadata_modified = timezone.now()
    package.save()

    for key in CHILD_KEYS:
        items = data.get(key)
        if (partial or created) and not items:
            continue
        items = items or []
        if key == "resources":
            _save_resources(package, items, created, keep_ids=_may_keep_ids(context))
        elif key == "tags":
            _save_tags(package, items, created)
        elif key == "extras":
            _save_extras(package, items, created, merge=partial)
        else:
            _save_memberships(package, items, created)
    if "relationships_as_subject" in data or "relationships_as_object" in data:
        _save_relationships(package, data, context)
    return package


def _may_keep_ids(context):
    from catalog.logic import is_sysadmin

    return is_sysadmin((context or {}).get("user"))


def _save_resources(package, items, created=False, *, keep_ids=False):
    """Save the dataset's resources in order. A resource whose id is not one of
    the dataset's is new: it keeps that id only for a sysadmin (a dumped
    catalog being loaded), and the id must be a free UUID."""
    # A new dataset has no children yet: no need to read them (here and below).
    existing = {} if created else {r.id: r for r in Resource.objects.filter(package=package)}
    kept = set()
    new = []
    for position, item in enumerate(items):
        resource = existing.get(item.get("id"))
        if resource is None or resource.id in kept:
            resource = Resource(package=package, url="")
            if keep_ids and item.get("id"):
                new_id, messages = chosen_id(item["id"], Resource, allowed=True)
                if new_id in kept:
                    messages = [ID_TAKEN]
                if messages:
                    raise ValidationError({"resources": [{"id": messages} if i == position else {}
                                                         for i in range(len(items))]})
                resource.id = new_id
        kept.add(resource.id)
        values = {field: item[field] for field in RESOURCE_FIELDS if field in item}
        values.update({"position": position, "state": STATE_ACTIVE, "extras": item.get("extras") or {}})
        if resource._state.adding:
            _assign(resource, values)
            new.append(resource)
        elif _assign(resource, values):
            resource.save()
    _insert(new)
    for resource in existing.values():
        if resource.id not in kept and resource.state != STATE_DELETED:
            resource.state = STATE_DELETED
            resource.save()


def _save_tags(package, names, created=False):
    wanted = list(dict.fromkeys(names))
    existing = {} if created else {
        pt.tag.name: pt for pt in PackageTag.objects.filter(package=package).select_related("tag")
    }
    # Only the tags the dataset does not carry yet are looked up (none, on most updates).
    unknown = [name for name in wanted if name not in existing]
    tags = {tag.name: tag for tag in Tag.objects.filter(name__in=unknown)} if unknown else {}
    missing = sorted(set(unknown) - set(tags))
    if missing:
        # Tags are shared between datasets: every writer creates the new ones in
        # one statement, in name order, so two writers adding the same new tags
        # never wait for each other in opposite orders (a deadlock). A tag another
        # writer created meanwhile is skipped, then read back with the others.
        Tag.objects.bulk_create([Tag(name=name) for name in missing], ignore_conflicts=True)
        tags.update((tag.name, tag) for tag in Tag.objects.filter(name__in=missing))
    new = []
    for name in wanted:
        package_tag = existing.get(name)
        if package_tag is None:
            new.append(PackageTag(package=package, tag=tags[name], state=STATE_ACTIVE))
        elif package_tag.state != STATE_ACTIVE:
            package_tag.state = STATE_ACTIVE
            package_tag.save()
    _insert(new)
    for name, package_tag in existing.items():
        if name not in wanted and package_tag.state != STATE_DELETED:
            package_tag.state = STATE_DELETED
            package_tag.save()


def _save_extras(package, items, created=False, *, merge):
    wanted = {}
    for item in items:
        wanted[item["key"]] = item["value"]
    existing = {} if created else {extra.key: extra for extra in PackageExtra.objects.filter(package=package)}
    new = []
    for key, value in wanted.items():
        extra = existing.get(key)
        if value is None:
            if extra is not None and extra.state != STATE_DELETED:
                extra.state = STATE_DELETED
                extra.save()
        elif extra is None:
            new.append(PackageExtra(package=package, key=key, value=value, state=STATE_ACTIVE))
        elif _assign(extra, {"value": value, "state": STATE_ACTIVE}):
            extra.save()
    _insert(new)
    if merge:
        return
    for key, extra in existing.items():
        if key not in wanted and extra.state != STATE_DELETED:
            extra.state = STATE_DELETED
            extra.save()


def _save_memberships(package, refs, created=False):
    groups = resolve_groups(refs)
    missing = [ref for ref, group in zip(refs, groups) if group is None]
    if missing:
        raise NotFound(f"Group was not found: {ref_label(missing[0])}")
    # Memberships are written in group-id order, whatever order the client sent, so
    # writers touching the same groups take their locks in one order.
    wanted = {group.id: group for group in sorted(groups, key=lambda group: group.id)}
    existing = {} if created else {
        m.group_id: m for m in Member.objects.filter(package=package).select_related("group").order_by("group_id")
    }
    for group_id, group in wanted.items():
        member = existing.get(group_id)
        if member is None:
            Member.objects.create(package=package, group=group, state=STATE_ACTIVE)
        elif member.state != STATE_ACTIVE:
            member.state = STATE_ACTIVE
            member.save()
    for group_id, member in existing.items():
        if group_id not in wanted and member.state != STATE_DELETED:
            member.state = STATE_DELETED
            member.save()


def find_package(ref, queryset=None):
    """The dataset with id or name `ref` (from `queryset`, default all), or None."""
    if not isinstance(ref, str) or not ref:
        return None
    queryset = Package.objects.all() if queryset is None else queryset
    matches = list(queryset.filter(Q(id=ref) | Q(name=ref)))
    # An id wins over a name that happens to look like one, as in CKAN's Package.get.
    matches.sort(key=lambda package: package.id != ref)
    return matches[0] if matches else None


def stored_triple(subject, obj, rel_type):
    """(subject, object, forward type): the 8 API types are 4 stored pairs."""
    if rel_type in PackageRelationship.FORWARD_OF:
        return obj, subject, PackageRelationship.FORWARD_OF[rel_type]
    return subject, obj, rel_type


def relationship_save(subject, obj, rel_type, comment):
    """Create, revive or re-comment the relationship; returns the stored row."""
    subject, obj, rel_type = stored_triple(subject, obj, rel_type)
    rel = PackageRelationship.objects.filter(subject=subject, object=obj, type=rel_type).first()
    if rel is None:
        rel = PackageRelationship(subject=subject, object=obj, type=rel_type)
    if _assign(rel, {"comment": comment, "state": STATE_ACTIVE}) or rel._state.adding:
        rel.save()
    return rel


def _save_relationships(package, data, context):
    """Make the dataset's relationships those given. One to a dataset that is
    not here (yet) is skipped and reported in context["warnings"]: a dumped
    catalog loads in any order, and the partner, once loaded, lists the same
    relationship from its side and creates it."""
    wanted = {}
    for key, side in (("relationships_as_subject", "subject"), ("relationships_as_object", "object")):
        for item in data.get(key) or []:
            other = find_package(item["other"])
            if other is None:
                if context is not None:
                    context.setdefault("warnings", {}).setdefault(key, []).append(
                        f"Package {item['other']!r} was not found: relationship {item['type']} not saved"
                    )
                continue
            pair = (package, other) if side == "subject" else (other, package)
            subject, obj, rel_type = stored_triple(*pair, item["type"])
            wanted[(subject.id, obj.id, rel_type)] = (subject, obj, rel_type, item["comment"])
    for subject, obj, rel_type, comment in wanted.values():
        relationship_save(subject, obj, rel_type, comment)
    scope = Q()
    if "relationships_as_subject" in data:
        scope |= Q(subject=package)
    if "relationships_as_object" in data:
        scope |= Q(object=package)
    for rel in PackageRelationship.objects.filter(scope, state=STATE_ACTIVE):
        if (rel.subject_id, rel.object_id, rel.type) not in wanted:
            rel.state = STATE_DELETED
            rel.save()
