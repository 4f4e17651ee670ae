"""Who may run each create action (same names as catalog.logic.action.create)."""
from catalog import authz
from catalog.logic.auth import group_user_rules as rules

# ---------------------------------------------------------------- groups, users


def group_create(context, data_dict):
    return rules.may_on_system(context, authz.GROUP_CREATE, "create groups")


def group_create_rest(context, data_dict):
    anonymous = rules.logged_in(context, "create a group")
    return group_create(context, data_dict) if anonymous["success"] else anonymous


def user_create(context, data_dict):
    return rules.may_on_system(context, authz.USER_CREATE, "create users")
