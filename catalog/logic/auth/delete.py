"""Who may run each delete action (same names as catalog.logic.action.delete)."""
from catalog import authz
from catalog.logic.auth import group_user_rules as rules

# ---------------------------------------------------------------- groups


def group_delete(context, data_dict):
    return rules.may_on_group(context, data_dict, authz.PURGE, "delete")
