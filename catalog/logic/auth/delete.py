"""Who may run each delete action (same names as catalog.logic.action.delete)."""
from catalog import authz
from catalog.logic import is_sysadmin
from catalog.logic.auth import _packages, group_user_rules as rules


# ---------------------------------------------------------------- datasets

def package_delete(context, data_dict):
    package = _packages.package_of(context, data_dict)
    allowed = _packages.may(context, authz.CHANGE_STATE, package)
    return _packages.result(allowed, f"User not authorized to delete package {package.name}")


def dataset_purge(context, data_dict):
    allowed = is_sysadmin(context.get("user"))
    return _packages.result(allowed, "Only sysadmins may purge a dataset")


def package_relationship_delete(context, data_dict):
    return _packages.relationship_editable(context, data_dict)


# ---------------------------------------------------------------- groups


def group_delete(context, data_dict):
    return rules.may_on_group(context, data_dict, authz.PURGE, "delete")


def group_purge(context, data_dict):
    allowed = is_sysadmin(context.get("user"))
    return _packages.result(allowed, "Only sysadmins may purge a group")
