"""A dataset as it was after an earlier write, rebuilt whole from its history, for package_update to restore.

Every write versions only the rows it saves (catalog.revisions), so no single
version holds a dataset: its row, resources, tags, extras, group memberships
and relationships each have their own versions. `package_dict_as_of` takes,
for every row that ever belonged to the dataset (rows removed since, purged
ones included, are found through their versions), its last version written
at or before the chosen revision; rows with no such version did not exist
then. The result is a package_update body: restoring is then an ordinary
update, so it is one new revision with the same rules, validation, stored
dicts and search indexing as any other write, and the old versions stay in
the history.

What cannot come back is reported, not guessed: a tag, group or partner
dataset that no longer exists (tags and groups are shared and were deleted
separately). Ratings and roles are not versioned and stay as they are.
"""
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from reversion.models import Revision as VersionRevision, Version

from catalog.logic.dictization import RESOURCE_CORE_FIELDS, RESOURCE_DATETIME_FIELDS, isoformat
from catalog.logic.save import PACKAGE_FIELDS
from catalog.models import (
    STATE_ACTIVE,
    Group,
    Member,
    Package,
    PackageExtra,
    PackageRelationship,
    PackageTag,
    Resource,
    Tag,
)


def revision_cut(revision):
    """The last django-reversion revision id that counts as "at or before" the CKAN `revision`."""
    if revision.reversion_revision_id:
        return revision.reversion_revision_id
    earlier = VersionRevision.objects.filter(date_created__lte=revision.timestamp).order_by("-id").first()
    return earlier.id if earlier else 0


def _versions_as_of(model, object_ids, cut, package_id):
    """{object id: field_dict} of each row's last version at or before `cut`.

    Candidates are `object_ids` (rows of the dataset now) and rows purged
    since, whose versions still name the dataset.
    """
    content_type = ContentType.objects.get_for_model(model)
    versions = Version.objects.filter(content_type=content_type, revision_id__lte=cut).filter(
        Q(object_id__in=[str(pk) for pk in object_ids]) | Q(serialized_data__contains=package_id)
    ).order_by("object_id", "-revision_id", "-pk")
    latest = {}
    for version in versions:
        if version.object_id not in latest:
            latest[version.object_id] = version.field_dict
    return latest


def package_dict_as_of(package, revision):
    """(package_update body, [warnings]): `package` as the write `revision` left it."""
    cut = revision_cut(revision)
    pk = package.pk
    core = _versions_as_of(Package, [pk], cut, pk).get(pk)
    if core is None:
        raise LookupError(f"Dataset {package.name} has no version at or before revision {revision.id}")
    data = {"id": pk, **{field: core.get(field) for field in PACKAGE_FIELDS if field in core}}
    warnings = []

    rows = _versions_as_of(Resource, package.resources.values_list("pk", flat=True), cut, pk)
    resources = sorted((row for row in rows.values() if row.get("package_id") == pk and row["state"] == STATE_ACTIVE),
                       key=lambda row: (row["position"], row["id"]))
    data["resources"] = [_resource_item(row) for row in resources]

    rows = _versions_as_of(PackageTag, package.package_tags.values_list("pk", flat=True), cut, pk)
    tag_ids = [row["tag_id"] for row in rows.values() if row.get("package_id") == pk and row["state"] == STATE_ACTIVE]
    names = dict(Tag.objects.filter(pk__in=tag_ids).values_list("pk", "name"))
    data["tags"] = [{"name": names[tag_id]} for tag_id in tag_ids if tag_id in names]
    if len(names) < len(set(tag_ids)):
        warnings.append(f"{len(set(tag_ids)) - len(names)} tag(s) of that version no longer exist and are left out")

    rows = _versions_as_of(PackageExtra, package.extras.values_list("pk", flat=True), cut, pk)
    data["extras"] = sorted(
        ({"key": row["key"], "value": row["value"]} for row in rows.values()
         if row.get("package_id") == pk and row["state"] == STATE_ACTIVE),
        key=lambda extra: extra["key"],
    )

    rows = _versions_as_of(Member, package.memberships.values_list("pk", flat=True), cut, pk)
    group_ids = [row["group_id"] for row in rows.values()
                 if row.get("package_id") == pk and row["state"] == STATE_ACTIVE]
    existing = set(Group.objects.filter(pk__in=group_ids).values_list("pk", flat=True))
    data["groups"] = [{"id": group_id} for group_id in sorted(existing)]
    for group_id in sorted(set(group_ids) - existing):
        warnings.append(f"Group {group_id} no longer exists: the dataset cannot rejoin it")

    current = PackageRelationship.objects.filter(Q(subject_id=pk) | Q(object_id=pk)).values_list("pk", flat=True)
    rows = _versions_as_of(PackageRelationship, current, cut, pk)
    data["relationships_as_subject"], data["relationships_as_object"] = [], []
    for row in rows.values():
        if row["state"] != STATE_ACTIVE:
            continue
        if row.get("subject_id") == pk:
            data["relationships_as_subject"].append(
                {"object": row["object_id"], "type": row["type"], "comment": row["comment"]})
        elif row.get("object_id") == pk:
            data["relationships_as_object"].append(
                {"subject": row["subject_id"], "type": row["type"], "comment": row["comment"]})
    return data, warnings


def _resource_item(row):
    item = {"id": row["id"]}
    for field in RESOURCE_CORE_FIELDS:
        value = row.get(field)
        item[field] = isoformat(value) if field in RESOURCE_DATETIME_FIELDS else value
    item["extras"] = dict(row.get("extras") or {})
    return item
