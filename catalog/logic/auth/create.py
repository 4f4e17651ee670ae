"""Who may run each create action (same names as catalog.logic.action.create)."""
from catalog import authz
from catalog.logic.auth import _packages


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

