"""Who may run each read action (same names as catalog.logic.action.get)."""
from catalog import authz
from catalog.logic.auth import _packages, group_user_rules as rules


def _result(allowed, message=""):
    return {"success": bool(allowed), "msg": "" if allowed else message}


def site_read(context, data_dict):
    return _result(authz.check(context.get("user"), authz.SITE_READ), "Not authorized to read this site")


# ---------------------------------------------------------------- datasets

def package_list(context, data_dict):
    return _packages.site_readable(context)


def current_package_list_with_resources(context, data_dict):
    return _packages.site_readable(context)


def revision_list(context, data_dict):
    return _packages.site_readable(context)


def revision_show(context, data_dict):
    return _packages.site_readable(context)


def package_revision_list(context, data_dict):
    return _packages.package_readable(context, data_dict)


def package_show(context, data_dict):
    return _packages.package_readable(context, data_dict)


def package_show_rest(context, data_dict):
    return _packages.package_readable(context, data_dict)


def resource_show(context, data_dict):
    resource = context.get("resource")
    package = resource.package if resource is not None else None
    return _packages.package_readable(dict(context, package=package), data_dict, key="package_id")


def package_relationships_list(context, data_dict):
    allowed = _packages.package_readable(context, data_dict)
    other = context.get("package2")
    if allowed["success"] and other is not None:
        allowed = _packages.package_readable(dict(context, package=other), data_dict, key="id2")
    return allowed


def package_autocomplete(context, data_dict):
    return _packages.site_readable(context)


def format_autocomplete(context, data_dict):
    return _packages.site_readable(context)

# ---------------------------------------------------------------- groups, tags, users, roles, licences, status
# Lists, tags, users and roles are public, as in CKAN 1.6 (user_show hides
# the private fields itself); a group is read under the group's own roles.


def group_list(context, data_dict):
    return rules.allowed(context)


def group_list_authz(context, data_dict):
    return rules.allowed(context)


def group_list_available(context, data_dict):
    return rules.allowed(context)


def group_show(context, data_dict):
    return rules.may_on_group(context, data_dict, authz.READ, "read")


def group_show_rest(context, data_dict):
    return group_show(context, data_dict)


def group_package_show(context, data_dict):
    return group_show(context, data_dict)


def group_revision_list(context, data_dict):
    return group_show(context, data_dict)


def tag_list(context, data_dict):
    return rules.allowed(context)


def tag_show(context, data_dict):
    return rules.allowed(context)


def tag_show_rest(context, data_dict):
    return rules.allowed(context)


def tag_search(context, data_dict):
    return rules.allowed(context)


def tag_autocomplete(context, data_dict):
    return rules.allowed(context)


def user_list(context, data_dict):
    return rules.allowed(context)


def user_show(context, data_dict):
    return rules.allowed(context)


def user_autocomplete(context, data_dict):
    return rules.allowed(context)


def licence_list(context, data_dict):
    return rules.allowed(context)


def roles_show(context, data_dict):
    return rules.allowed(context)


def status_show(context, data_dict):
    return rules.allowed(context)
