"""Who may run each update action (same names as catalog.logic.action.update)."""
from catalog import authz
from catalog.logic.auth import _packages, group_user_rules as rules


# ---------------------------------------------------------------- datasets

def package_update(context, data_dict):
    return _packages.package_updatable(context, data_dict)


def package_update_validate(context, data_dict):
    return _packages.package_updatable(context, data_dict)


def package_update_rest(context, data_dict):
    return _packages.package_updatable(context, data_dict)


def package_patch(context, data_dict):
    return _packages.package_updatable(context, data_dict)


def resource_update(context, data_dict):
    resource = context.get("resource")
    package = resource.package if resource is not None else None
    return _packages.package_editable(dict(context, package=package), data_dict, key="package_id")


def resource_patch(context, data_dict):
    return resource_update(context, data_dict)


def package_relationship_update(context, data_dict):
    return _packages.relationship_editable(context, data_dict)


def make_latest_pending_package_active(context, data_dict):
    package = _packages.package_of(context, data_dict)
    allowed = _packages.may(context, authz.CHANGE_STATE, package)
    return _packages.result(allowed, f"User not authorized to moderate package {package.name}")


# ---------------------------------------------------------------- groups, users, roles


def group_update(context, data_dict):
    return rules.may_on_group(context, data_dict, authz.EDIT, "edit")


def group_patch(context, data_dict):
    return group_update(context, data_dict)


def group_update_rest(context, data_dict):
    anonymous = rules.logged_in(context, "edit a group")
    return group_update(context, data_dict) if anonymous["success"] else anonymous


def user_update(context, data_dict):
    return rules.may_update_user(context, data_dict)


def user_generate_apikey(context, data_dict):
    return rules.may_manage_user(context, data_dict, "reset the API key of")


def user_role_update(context, data_dict):
    return rules.may_edit_permissions(context, data_dict)


def user_role_bulk_update(context, data_dict):
    return rules.may_edit_permissions(context, data_dict)


def user_sysadmin_update(context, data_dict):
    return rules.sysadmins_only(context, "change sysadmin rights")
