"""Create actions."""
from django.db import transaction

from catalog import authz
from catalog.logic import check_access
from catalog.logic.errors import ValidationError
from catalog.logic.group_dictization import group_dictize, group_to_rest
from catalog.logic.group_save import save_group
from catalog.logic.group_schemas import validate_group
from catalog.logic.user_dictization import user_dictize
from catalog.logic.user_save import save_user
from catalog.logic.user_schemas import validate_user
from catalog.revisions import revision

# ---------------------------------------------------------------- groups, users


def _take_log_message(context, data_dict, default):
    """The revision message: the body's `log_message`, else the request's, else `default`."""
    message = data_dict.get("log_message")
    if isinstance(message, str) and message:
        context["message"] = message
    elif not context.get("message"):
        context["message"] = default


def _refuse_id(data_dict):
    """A create may not choose the new object's id (CKAN 1.6, ticket 662)."""
    if data_dict.get("id") not in (None, ""):
        raise ValidationError({"id": ["Cannot specify the id of a new object"]})


def _create_group(context, data_dict):
    _refuse_id(data_dict)
    cleaned = validate_group(data_dict)
    _take_log_message(context, data_dict, f"REST API: Create object {cleaned['name']}")
    with revision(context):
        group = save_group(cleaned)
        authz.setup_default_roles(group, context.get("user"))
    context["group"] = group
    return group


def group_create(context, data_dict):
    """Create a group; the creator becomes its admin.

    :param name: the group's name: 2 to 100 characters of lowercase letters,
        digits, ``-`` and ``_``, not already taken
    :type name: string
    :param title: the title (optional)
    :type title: string
    :param description: the description (optional)
    :type description: string
    :param type: the group type (optional, default ``group``)
    :type type: string
    :param extras: ``[{"key": ..., "value": ...}]`` (optional)
    :type extras: list of dicts
    :param packages: the group's datasets, as ``[{"id": ...}]`` or
        ``[{"name": ...}]`` (``datasets`` is accepted too) (optional)
    :type packages: list of dicts

    :returns: the new group (as ``group_show`` gives it)
    :rtype: dictionary
    """
    check_access("group_create", context, data_dict)
    group = _create_group(context, data_dict)
    return group_dictize(group, context)


def group_create_rest(context, data_dict):
    """Create a group from a Model API body: datasets by name or id, extras as an object.

    :param name: the group's name
    :type name: string
    :param packages: dataset names or ids (``datasets`` is accepted too)
        (optional)
    :type packages: list of strings
    :param extras: ``{key: value}`` (optional)
    :type extras: dictionary

    :returns: the new group in the Model API format (v1 names, v2 ids)
    :rtype: dictionary
    """
    check_access("group_create_rest", context, data_dict)
    group = _create_group(context, data_dict)
    return group_to_rest(group, context)


def user_create(context, data_dict):
    """Create a user (logged-in users and sysadmins may, anonymous visitors may not).

    :param name: the login name: 2 to 100 characters of lowercase letters,
        digits, ``-`` and ``_``, not already taken
    :type name: string
    :param email: the email address
    :type email: string
    :param password: the password, at least 4 characters
    :type password: string
    :param fullname: the full name (optional)
    :type fullname: string
    :param about: a description of the user, without links (optional)
    :type about: string

    :returns: the new user (as ``user_show`` gives it to someone else, unless
        the caller is a sysadmin)
    :rtype: dictionary
    """
    check_access("user_create", context, data_dict)
    _refuse_id(data_dict)
    cleaned = validate_user(data_dict)
    # Users are not versioned objects: a plain transaction, no revision.
    with transaction.atomic():
        user = save_user(cleaned)
    context["user_obj"] = user
    return user_dictize(user, private=authz.is_sysadmin(context.get("user")))
