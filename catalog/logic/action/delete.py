"""Delete actions."""
from catalog.logic import check_access, get_or_bust
from catalog.logic.errors import NotFound
from catalog.logic.group_save import delete_group, find_group
from catalog.revisions import revision

# ---------------------------------------------------------------- groups


def group_delete(context, data_dict):
    """Delete a group (its admins and sysadmins may): it becomes ``deleted`` and leaves ``group_list``.

    :param id: the id or name of the group
    :type id: string
    """
    group = find_group(get_or_bust(data_dict, "id"))
    if group is None:
        raise NotFound("Group was not found")
    context["group"] = group
    check_access("group_delete", context, data_dict)
    if not context.get("message"):
        context["message"] = f"REST API: Delete Group: {group.name}"
    with revision(context):
        delete_group(group)
