"""Delete actions."""
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from reversion.models import Version

from catalog import models
from catalog.logic import check_access, get_or_bust
from catalog.logic.action import _packages
from catalog.logic.group_save import delete_group, group_for_action
from catalog.logic.schemas import relationship_keys
from catalog.models import STATE_DELETED
from catalog.revisions import revision


# ---------------------------------------------------------------- datasets

def package_delete(context, data_dict):
    """Delete a dataset: it becomes ``state: deleted``, leaves lists and search,
    and stays readable by its admins. Only its admins and sysadmins may.

    :param id: the id or name of the dataset
    :type id: string
    """
    package = _packages.get_package(context, data_dict)
    check_access("package_delete", context, data_dict)
    _packages.default_message(context, f"REST API: Delete Package: {package.name}")
    with revision(context):
        package.state = STATE_DELETED
        package.metadata_modified = timezone.now()
        package.save()
    return None


def _drop_versions(rows):
    """Delete the reversion history of `rows` ({model: [pk, ...]}): a purge leaves nothing pointing at it."""
    condition = Q(pk__in=[])
    for model, pks in rows.items():
        if pks:
            content_type = ContentType.objects.get_for_model(model)
            condition |= Q(content_type=content_type, object_id__in=[str(pk) for pk in pks])
    Version.objects.filter(condition).delete()


def dataset_purge(context, data_dict):
    """Purge a dataset (sysadmins only): its row, resources, tags, extras,
    memberships, relationships, ratings and roles go, with their history;
    revisions keep no reference to it and it leaves search. Cannot be undone.

    :param id: the id or name of the dataset
    :type id: string
    """
    package = _packages.get_package(context, data_dict)
    check_access("dataset_purge", context, data_dict)
    _packages.default_message(context, f"REST API: Purge Package: {package.name}")
    rows = {
        models.Package: [package.pk],
        models.Resource: list(package.resources.values_list("pk", flat=True)),
        models.PackageTag: list(package.package_tags.values_list("pk", flat=True)),
        models.PackageExtra: list(package.extras.values_list("pk", flat=True)),
        models.Member: list(package.memberships.values_list("pk", flat=True)),
        models.PackageRelationship: list(
            models.PackageRelationship.objects.filter(Q(subject=package) | Q(object=package)).values_list("pk", flat=True)
        ),
    }
    with revision(context):
        # The cascade deletes each related row with its post_delete, so the change
        # set sees every dataset and group the purge touches (partners, groups).
        package.delete()
        _drop_versions(rows)
    return None


def package_relationship_delete(context, data_dict):
    """Delete a relationship between two datasets.

    Accepts ``subject, object, type`` or ``id, id2, rel``.
    """
    subject_ref, object_ref, rel_type, _comment = relationship_keys(data_dict)
    subject, obj = _packages.relationship_packages(context, subject_ref, object_ref)
    check_access("package_relationship_delete", context, data_dict)
    _packages.default_message(context, f"REST API: Delete package relationship: {subject.name} {rel_type} {obj.name}")
    rel = _packages.active_relationship(subject, obj, rel_type, (subject_ref, object_ref))
    with revision(context):
        rel.state = STATE_DELETED
        rel.save()
    return None


# ---------------------------------------------------------------- groups


def group_delete(context, data_dict):
    """Delete a group (its admins and sysadmins may): it becomes ``deleted`` and leaves ``group_list``.

    :param id: the id or name of the group
    :type id: string
    """
    group = group_for_action(context, get_or_bust(data_dict, "id"))
    check_access("group_delete", context, data_dict)
    _packages.default_message(context, f"REST API: Delete Group: {group.name}")
    with revision(context):
        delete_group(group)


def group_purge(context, data_dict):
    """Purge a group (sysadmins only): its row, extras, memberships and roles
    go, with their history; its datasets leave it in their dicts and in
    search; revisions keep no reference to it. Cannot be undone.

    :param id: the id or name of the group
    :type id: string
    """
    group = group_for_action(context, get_or_bust(data_dict, "id"))
    check_access("group_purge", context, data_dict)
    _packages.default_message(context, f"REST API: Purge Group: {group.name}")
    rows = {
        models.Group: [group.pk],
        models.GroupExtra: list(group.extras.values_list("pk", flat=True)),
        models.Member: list(group.memberships.values_list("pk", flat=True)),
    }
    with revision(context):
        group.delete()
        _drop_versions(rows)
    return None
