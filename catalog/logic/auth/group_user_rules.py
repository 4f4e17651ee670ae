"""Rules shared by the group, user and role auth functions of get/create/update/delete.

Actions find their object first and put it in the context (`group`,
`user_obj`, `domain_object`), as CKAN 1.6 did; without one the rule falls
back to the reference in the data.
"""
from catalog import authz
from catalog.logic.errors import NotFound
from catalog.logic.group_save import find_group
from catalog.logic.roles import find_domain_object
from catalog.logic.user_save import find_user


def result(allowed, message=""):
    return {"success": bool(allowed), "msg": "" if allowed else message}


def allowed(context):
    return result(True)


def group_of(context, data_dict):
    group = context.get("group") or find_group(data_dict.get("id"))
    if group is None:
        raise NotFound("Group was not found")
    return group


def user_obj_of(context, data_dict):
    user = context.get("user_obj") or find_user(data_dict.get("id"))
    if user is None:
        raise NotFound("User was not found")
    return user


def domain_object_of(context, data_dict):
    return context.get("domain_object") or find_domain_object(data_dict.get("domain_object"))


def may_on_group(context, data_dict, permission, verb):
    group = group_of(context, data_dict)
    return result(
        authz.check(context.get("user"), permission, group), f"User not authorized to {verb} group {group.name}"
    )


def logged_in(context, what):
    return result(authz.is_logged_in(context.get("user")), f"Valid API key needed to {what}")


def may_on_system(context, permission, what):
    return result(authz.check(context.get("user"), permission), f"User not authorized to {what}")


def may_edit_permissions(context, data_dict):
    obj = domain_object_of(context, data_dict)
    return result(
        authz.check(context.get("user"), authz.EDIT_PERMISSIONS, obj),
        f"User not authorized to edit permissions of {obj.name}",
    )


def may_manage_user(context, data_dict, what):
    """Only the user themself and sysadmins: no reset key stands in for them."""
    user = context.get("user")
    target = user_obj_of(context, data_dict)
    allowed = authz.is_sysadmin(user) or (authz.is_logged_in(user) and user.pk == target.pk)
    return result(allowed, f"User not authorized to {what} user {target.name}")


def may_update_user(context, data_dict):
    """Users may update themselves, sysadmins anyone; a matching reset key also authorises."""
    user = context.get("user")
    target = user_obj_of(context, data_dict)
    if authz.is_sysadmin(user) or (authz.is_logged_in(user) and user.pk == target.pk):
        return result(True)
    reset_key = data_dict.get("reset_key")
    if isinstance(reset_key, str) and reset_key and target.reset_key and reset_key == target.reset_key:
        return result(True)
    return result(False, f"User not authorized to edit user {target.name}")


def sysadmins_only(context, what):
    """Only sysadmins may."""
    if authz.is_sysadmin(context.get("user")):
        return result(True)
    return result(False, f"Only sysadmins may {what}")
