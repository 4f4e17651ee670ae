"""Delete actions."""
from django.utils import timezone

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
    if not context.get("message"):
        context["message"] = f"REST API: Delete Group: {group.name}"
    with revision(context):
        delete_group(group)
