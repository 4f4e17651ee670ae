"""Who may run each create action (same names as catalog.logic.action.create)."""
from catalog import authz
from catalog.logic.auth import _packages, group_user_rules as rules


# ---------------------------------------------------------------- datasets

def package_create(context, data_dict):
    return _packages.package_creatable(context, data_dict)


def package_create_validate(context, data_dict):
    return _packages.package_creatable(context, data_dict)


def package_create_rest(context, data_dict):
    return _packages.package_creatable(context, data_dict)


def resource_create(context, data_dict):
    return _packages.package_editable(context, data_dict, key="package_id")


def package_relationship_create(context, data_dict):
    return _packages.relationship_editable(context, data_dict)


def rating_create(context, data_dict):
    if not authz.is_logged_in(context.get("user")):
        return _packages.result(False, "You must be logged in to rate a dataset")
    return _packages.package_readable(context, data_dict, key="package")


# ---------------------------------------------------------------- groups, users


def group_create(context, data_dict):
    return rules.may_on_system(context, authz.GROUP_CREATE, "create groups")


def group_create_rest(context, data_dict):
    anonymous = rules.logged_in(context, "create a group")
    return group_create(context, data_dict) if anonymous["success"] else anonymous


def user_create(context, data_dict):
    return rules.may_on_system(context, authz.USER_CREATE, "create users")
