"""Rules shared by the dataset auth functions of get/create/update/delete.

The action finds the dataset first and puts it in `context["package"]` (as
CKAN 1.6 did), so the auth function decides on the object, not on the raw
reference; without one it falls back to the reference in the data.
"""
from catalog import authz
from catalog.logic.errors import NotFound
from catalog.logic.schemas import group_ref, ref_label, resolve_groups
from catalog.logic.save import find_package


def result(allowed, message=""):
    return {"success": bool(allowed), "msg": "" if allowed else message}


def user_of(context):
    return context.get("user")


def package_of(context, data_dict, key="id"):
    package = context.get("package")
    if package is None:
        package = find_package(data_dict.get(key))
    if package is None:
        raise NotFound("Dataset was not found")
    return package


def may(context, permission, obj=None):
    return authz.check(user_of(context), permission, obj)


def site_readable(context):
    return result(may(context, authz.SITE_READ), "Not authorized to read this site")


def package_readable(context, data_dict, key="id"):
    package = package_of(context, data_dict, key)
    return result(may(context, authz.READ, package), f"User not authorized to read package {package.name}")


def package_editable(context, data_dict, key="id"):
    package = package_of(context, data_dict, key)
    return result(may(context, authz.EDIT, package), f"User not authorized to edit package {package.name}")


def group_refs(data_dict):
    """The group references a dataset body names, whatever shape they come in."""
    groups = data_dict.get("groups")
    if not isinstance(groups, list):
        return []
    refs = []
    for item in groups:
        ref = group_ref(item)
        if isinstance(ref, tuple) or (isinstance(ref, str) and ref):
            refs.append(ref)
    return refs


def groups_editable(context, data_dict, package=None):
    """May the user put the dataset into each group named (and not already holding it)?

    An unknown group is NotFound, as in CKAN 1.6.
    """
    refs = group_refs(data_dict)
    if not refs:
        return result(True)
    current = set()
    if package is not None:
        current = set(package.memberships.filter(state="active").values_list("group_id", flat=True))
    for ref, group in zip(refs, resolve_groups(refs)):
        if group is None:
            raise NotFound(f"Group was not found: {ref_label(ref)}")
        if group.id not in current and not may(context, authz.EDIT, group):
            return result(False, f"User not authorized to edit group {group.name}")
    return result(True)


def package_creatable(context, data_dict):
    if not may(context, authz.PACKAGE_CREATE):
        return result(False, "User not authorized to create packages")
    return groups_editable(context, data_dict)


def package_updatable(context, data_dict):
    allowed = package_editable(context, data_dict)
    if not allowed["success"]:
        return allowed
    return groups_editable(context, data_dict, package_of(context, data_dict))


def relationship_editable(context, data_dict):
    """Relating two datasets edits both of them (as in CKAN 1.6)."""
    for key in ("package", "package2"):
        package = context.get(key)
        if package is not None and not may(context, authz.EDIT, package):
            return result(False, f"User not authorized to edit package {package.name}")
    if context.get("package") is None:
        return result(False, "No dataset given")
    return result(True)
