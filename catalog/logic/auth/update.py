"""Who may run each update action (same names as catalog.logic.action.update)."""
from catalog import authz
from catalog.logic.auth import group_user_rules as rules

# ---------------------------------------------------------------- groups, users, roles


def group_update(context, data_dict):
    return rules.may_on_group(context, data_dict, authz.EDIT, "edit")


def group_update_rest(context, data_dict):
    anonymous = rules.logged_in(context, "edit a group")
    return group_update(context, data_dict) if anonymous["success"] else anonymous


def user_update(context, data_dict):
    return rules.may_update_user(context, data_dict)


def user_role_update(context, data_dict):
    return rules.may_edit_permissions(context, data_dict)


def user_role_bulk_update(context, data_dict):
    return rules.may_edit_permissions(context, data_dict)
