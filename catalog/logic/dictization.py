"""Package dicts: the one place that turns a dataset into API data.

`package_dictize` gives the Action API form (CKAN 1.6's package_show, plus
the read-only conveniences the spec lists); `package_to_rest` gives the
Model API v1/v2 form (names in v1, ids in v2). Both read only what
`package_queryset()` prefetched, so a dataset costs a fixed number of
queries whatever the number of its resources, tags, extras or groups, and a
list of datasets costs the same fixed number for the whole list.
"""
from datetime import timezone as dt_timezone

from django.conf import settings
from django.db.models import Prefetch

from catalog import licenses
from catalog.models import (
    STATE_ACTIVE,
    Group,
    Member,
    Package,
    PackageExtra,
    PackageRelationship,
    PackageTag,
    Rating,
    Resource,
    Tag,
)

RESOURCE_CORE_FIELDS = [
    "url", "format", "description", "hash", "name", "resource_type", "mimetype", "mimetype_inner",
    "size", "last_modified", "cache_url", "cache_last_updated", "webstore_url", "webstore_last_updated",
]
RESOURCE_DATETIME_FIELDS = {"last_modified", "cache_last_updated", "webstore_last_updated"}
PACKAGE_CORE_FIELDS = [
    "name", "title", "url", "version", "author", "author_email", "maintainer", "maintainer_email",
    "notes", "license_id", "type",
]


def isoformat(value):
    """A datetime as CKAN wrote it: ISO 8601 in UTC without an offset; None stays None."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt_timezone.utc).replace(tzinfo=None)
    return value.isoformat()


# The prefetched relations a new dataset has none of unless its own write added some:
# `package_queryset(skip=...)` leaves them out, `known_empty` marks them empty.
OPTIONAL_PREFETCHES = ("memberships", "relationships_as_subject", "relationships_as_object", "ratings")


def package_queryset(skip=()):
    """Packages with everything `package_dictize`/`package_to_rest` read, prefetched.

    `skip`: names of OPTIONAL_PREFETCHES not to read (the caller knows them
    empty and marks them so with `known_empty`).
    """
    lookups = [
        Prefetch(name, queryset=queryset.all() if queryset is not None else None)
        for name, queryset in _prefetch_querysets()
        if name not in skip
    ]
    return Package.objects.prefetch_related(*lookups)


def set_prefetched(package, name, found):
    """Put the rows `found` where prefetch_related(name) puts them: reading them makes no query."""
    queryset = getattr(package, name).all()
    queryset._result_cache = found
    queryset._prefetch_done = True
    package.__dict__.setdefault("_prefetched_objects_cache", {})[Package._meta.get_field(name).cache_name] = queryset


def known_empty(package, names):
    """Record relations of `package` as prefetched and empty: reading them makes no query."""
    for name in names:
        set_prefetched(package, name, [])


# What a dataset's dict shows of each relation: relation -> (row model, its foreign key to the
# dataset, only active rows?, the joined row (field, model, only active ones?) or None, the order
# [("c": the row / "j": the joined row, field)]). package_queryset() prefetches by it, and
# catalog.readback writes the same SELECTs by hand for the write path.
RELATIONS = {
    "resources": (Resource, "package", True, None, [("c", "position")]),
    "package_tags": (PackageTag, "package", True, ("tag", Tag, False), [("j", "name")]),
    "extras": (PackageExtra, "package", True, None, [("c", "key")]),
    "memberships": (Member, "package", True, ("group", Group, True), [("j", "name")]),
    "relationships_as_subject": (
        PackageRelationship, "subject", True, ("object", Package, True), [("c", "type"), ("j", "name")]
    ),
    "relationships_as_object": (
        PackageRelationship, "object", True, ("subject", Package, True), [("c", "type"), ("j", "name")]
    ),
    "ratings": (Rating, "package", False, None, []),  # every rating counts, in no order
}

_PREFETCH_QUERYSETS = None


def _relation_queryset(model, active_only, joined, order):
    if not (active_only or joined or order):
        return None  # the default manager
    queryset = model.objects.all()
    if active_only:
        queryset = queryset.filter(state=STATE_ACTIVE)
    if joined:
        field, _, joined_active = joined
        if joined_active:
            queryset = queryset.filter(**{f"{field}__state": STATE_ACTIVE})
        queryset = queryset.select_related(field)
    return queryset.order_by(*(name if of == "c" else f"{joined[0]}__{name}" for of, name in order))


def _prefetch_querysets():
    """(relation, queryset) of each prefetch, built once: each use takes a copy (`.all()`),
    which costs a fraction of building the filters, joins and ordering again."""
    global _PREFETCH_QUERYSETS
    if _PREFETCH_QUERYSETS is None:
        _PREFETCH_QUERYSETS = [
            (name, _relation_queryset(model, active_only, joined, order))
            for name, (model, _, active_only, joined, order) in RELATIONS.items()
        ]
    return _PREFETCH_QUERYSETS


def resource_dictize(resource):
    """A resource as the Action API shows it, its extras flattened in (as 1.6 did)."""
    result = {"id": resource.id}
    for field in RESOURCE_CORE_FIELDS:
        value = getattr(resource, field)
        result[field] = isoformat(value) if field in RESOURCE_DATETIME_FIELDS else value
    result.update(
        {
            "position": resource.position,
            "resource_group_id": resource.package.resource_group_id,
            "package_id": resource.package_id,
            "state": resource.state,
            "revision_id": resource.revision_id,
            "revision_timestamp": isoformat(resource.revision_timestamp),
        }
    )
    for key, value in (resource.extras or {}).items():
        result.setdefault(key, value)
    return result


def _tag_dict(package_tag):
    return {
        "id": package_tag.tag.id,
        "name": package_tag.tag.name,
        "state": package_tag.state,
        "revision_timestamp": isoformat(package_tag.revision_timestamp),
    }


def _extra_dict(extra):
    return {
        "id": extra.id,
        "key": extra.key,
        "value": extra.value,
        "package_id": extra.package_id,
        "state": extra.state,
        "revision_id": extra.revision_id,
        "revision_timestamp": isoformat(extra.revision_timestamp),
    }


def group_summary(group):
    """A group's own fields, as a dataset's `groups` list shows them (group dicts add to it)."""
    return {
        "id": group.id,
        "name": group.name,
        "title": group.title,
        "description": group.description,
        "type": group.type,
        "state": group.state,
        "approval_status": group.approval_status,
        "revision_id": group.revision_id,
    }


def _relationship_dict(rel):
    return {
        "id": rel.id,
        "subject_package_id": rel.subject_id,
        "object_package_id": rel.object_id,
        "type": rel.type,
        "comment": rel.comment,
        "state": rel.state,
        "revision_id": rel.revision_id,
        "revision_timestamp": isoformat(rel.revision_timestamp),
    }


def _ratings(package):
    values = [r.rating for r in package.ratings.all()]
    average = sum(values) / len(values) if values else None
    return average, len(values)


def _license_fields(package):
    lic = licenses.get_license(package.license_id)
    title = lic["title"] if lic else None
    return {
        "license": title,
        "license_title": title if lic else (package.license_id or None),
        "license_url": (lic["url"] or None) if lic else None,
        "isopen": licenses.is_open(package.license_id),
    }


def package_dictize(package, context):
    """The Action API dict of `package` (best fetched with `package_queryset()`)."""
    from catalog.markup import render_markdown

    result = {"id": package.id}
    for field in PACKAGE_CORE_FIELDS:
        result[field] = getattr(package, field)
    result["state"] = package.state
    result["revision_id"] = package.revision_id
    result["revision_timestamp"] = isoformat(package.revision_timestamp)
    result["metadata_created"] = isoformat(package.metadata_created)
    result["metadata_modified"] = isoformat(package.metadata_modified)
    result["notes_rendered"] = render_markdown(package.notes) if package.notes else ""
    result.update(_license_fields(package))

    resources = []
    for resource in package.resources.all():
        resource.package = package
        resources.append(resource_dictize(resource))
    result["resources"] = resources
    result["tags"] = [_tag_dict(pt) for pt in package.package_tags.all()]
    result["groups"] = [group_summary(m.group) for m in package.memberships.all()]
    result["extras"] = [_extra_dict(e) for e in package.extras.all()]
    result["relationships_as_subject"] = [_relationship_dict(r) for r in package.relationships_as_subject.all()]
    result["relationships_as_object"] = [_relationship_dict(r) for r in package.relationships_as_object.all()]
    result["ratings_average"], result["ratings_count"] = _ratings(package)
    return result


def ref_attr(context):
    """How the REST representation refers to datasets and groups: v2 by id, else by name."""
    return "id" if str(context.get("api_version")) == "2" else "name"


def relationship_as_seen_from(rel, package, ref_by):
    """A relationship {subject, type, object, comment} from `package`'s side (1.6's as_dict)."""
    subject, obj, rel_type = rel.subject, rel.object, rel.type
    if package is not None and rel.object_id == package.id and rel.subject_id != package.id:
        subject, obj = obj, subject
        rel_type = PackageRelationship.REVERSE_OF[rel_type]
    return {
        "subject": getattr(subject, ref_by),
        "type": rel_type,
        "object": getattr(obj, ref_by),
        "comment": rel.comment,
    }


def package_to_rest(package, context):
    """The Model API v1/v2 dict of `package`: v1 names, v2 ids (context["api_version"])."""
    ref_by = ref_attr(context)
    result = package_dictize(package, context)
    result.pop("revision_timestamp")
    result["groups"] = [m.group.id if ref_by == "id" else m.group.name for m in package.memberships.all()]
    result["tags"] = [tag["name"] for tag in result["tags"]]
    result["extras"] = {extra["key"]: extra["value"] for extra in result["extras"]}
    for resource in result["resources"]:
        for key in ("revision_id", "state", "revision_timestamp"):
            resource.pop(key, None)
    if ref_by == "name" and result["resources"]:
        result["download_url"] = result["resources"][0]["url"]
    result["ckan_url"] = f"{settings.CKAN_SITE_URL}/dataset/{package.name}"

    relationships = []
    for rel in package.relationships_as_object.all():
        rel.object = package
        relationships.append(relationship_as_seen_from(rel, package, ref_by))
    for rel in package.relationships_as_subject.all():
        rel.subject = package
        relationships.append(relationship_as_seen_from(rel, package, ref_by))
    result.pop("relationships_as_subject")
    result.pop("relationships_as_object")
    result["relationships"] = relationships
    return result
