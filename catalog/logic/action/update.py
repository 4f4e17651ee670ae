"""Update actions."""
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from catalog import authz
from catalog.logic import check_access, get_or_bust
from catalog.logic.action import _packages
from catalog.logic.action.create import _cleaned_for_output
from catalog.logic.conflicts import name_taken_on_conflict
from catalog.logic.dictization import ref_attr, relationship_as_seen_from, resource_dictize
from catalog.logic.errors import NotFound, ParameterError, ValidationError
from catalog.logic.group_dictization import group_dictize, group_to_rest
from catalog.logic.group_save import group_for_action, save_group
from catalog.logic.group_schemas import NAME_TAKEN as GROUP_NAME_TAKEN, validate_group
from catalog.logic.roles import (
    clean_roles,
    find_authorization_group_holder,
    find_domain_object,
    find_user_holder,
    roles_show_dict,
    set_roles,
)
from catalog.logic.schemas import relationship_keys, validate_resource
from catalog.logic.user_dictization import user_dictize, user_with_counts
from catalog.logic.user_save import find_user, save_user
from catalog.logic.user_schemas import NAME_TAKEN as USER_NAME_TAKEN, validate_user
from catalog.models import STATE_ACTIVE, STATE_DELETED, STATE_PENDING, Group, Resource
from catalog.revisions import revision


# ---------------------------------------------------------------- datasets

def _package_to_update(context, data_dict):
    """The dataset an update names: the REST URL's reference (context["id"]) or data_dict's id/name."""
    ref = context.get("id") or data_dict.get("id") or data_dict.get("name")
    return _packages.get_package(context, {"id": ref})


def package_update(context, data_dict):
    """Update a dataset. Like CKAN 1.6, resources, tags, extras and groups are
    replaced by what is given (absent means none); other absent fields keep
    their values. Post back what package_show returned, changed.

    An update by a moderated user (setting CKAN_MODERATED_USERS) who is not
    the dataset's admin is stored as a pending revision instead, and the
    dataset is returned unchanged.

    :param id: the id or name of the dataset
    :type id: string
    :param ...: the dataset keys of package_create
    :returns: the updated dataset
    :rtype: dictionary
    """
    package = _package_to_update(context, data_dict)
    check_access("package_update", context, data_dict)
    package, rev = _packages.write_package(context, data_dict, package)
    return _packages.show_written(package, rev, context)


def package_update_validate(context, data_dict):
    """Check an update as package_update would, without saving it.

    :returns: the cleaned dataset dict
    :rtype: dictionary
    """
    package = _package_to_update(context, data_dict)
    check_access("package_update_validate", context, data_dict)
    return _cleaned_for_output(_packages.write_package(context, data_dict, package, validate_only=True))


def package_update_rest(context, data_dict):
    """Update a dataset from a Model API body: fields not supplied stay as they
    were, extras are merged key by key (a null value deletes one); returns the
    dataset in the Model API format.

    :param id: the id or name of the dataset
    :type id: string
    :rtype: dictionary
    """
    package = _package_to_update(context, data_dict)
    check_access("package_update_rest", context, data_dict)
    converted = _packages.rest_to_dict(data_dict)
    package, rev = _packages.write_package(context, converted, package, partial=True)
    return _packages.show_rest_written(package, rev, context)


def package_patch(context, data_dict):
    """Update a dataset partially (CKAN 2.x): only the keys given change.

    The dataset as package_show returns it is updated with the keys given, as
    package_update would: a list given (``resources``, ``tags``, ``extras``,
    ``groups``) replaces the whole list; a list not given is kept. Same access
    rule as package_update; one revision.

    :param id: the id or name of the dataset
    :type id: string
    :param ...: any dataset keys of package_create
    :returns: the updated dataset
    :rtype: dictionary
    """
    package = _package_to_update(context, data_dict)
    check_access("package_patch", context, data_dict)
    with transaction.atomic():
        # Merged into the dataset as it is once locked: a concurrent write's resources stay.
        package = _packages.locked(package)
        merged = {**_packages.show(package, context), **data_dict, "id": package.id}
        package, rev = _packages.write_package(context, merged, package)
    return _packages.show_written(package, rev, context)


def _resource_for_update(context, data_dict):
    ref = get_or_bust(data_dict, "id")
    resource = Resource.objects.select_related("package").filter(pk=ref).first() if isinstance(ref, str) else None
    if resource is None or resource.state == STATE_DELETED:
        raise NotFound(f"Resource not found: {ref}")
    context["resource"] = resource
    return resource


def _update_resource(context, resource, data_dict):
    """Change the fields and extras `data_dict` gives on the resource as it is once locked.

    The dataset's row is locked first (the order package writes take), then the
    resource's: a concurrent change of other fields, or of other extras, is kept."""
    cleaned = validate_resource(data_dict)
    cleaned.pop("id", None)
    extras = cleaned.pop("extras")
    with revision(context):
        package = _packages.locked(resource.package)
        resource = Resource.objects.select_for_update().filter(pk=resource.pk).first()
        if resource is None or resource.state == STATE_DELETED:
            raise NotFound(f"Resource not found: {data_dict.get('id')}")
        resource.package = package
        for field, value in cleaned.items():
            setattr(resource, field, value)
        if extras:
            resource.extras = {**(resource.extras or {}), **extras}
        resource.save()
        _packages.bump(package)
    return resource_dictize(resource)


def resource_update(context, data_dict):
    """Update a resource; fields not given keep their values.

    :param id: the id of the resource
    :type id: string
    :returns: the updated resource
    :rtype: dictionary
    """
    resource = _resource_for_update(context, data_dict)
    check_access("resource_update", context, data_dict)
    return _update_resource(context, resource, data_dict)


def resource_patch(context, data_dict):
    """Update a resource partially (CKAN 2.x): only the keys given change.

    Same access rule as resource_update (editing its dataset); one revision.

    :param id: the id of the resource
    :type id: string
    :param ...: any resource keys of resource_create
    :returns: the updated resource
    :rtype: dictionary
    """
    resource = _resource_for_update(context, data_dict)
    check_access("resource_patch", context, data_dict)
    # Only the keys given change, as in resource_update: on the row as it is once locked.
    return _update_resource(context, resource, data_dict)


def package_relationship_update(context, data_dict):
    """Change the comment of a relationship (its type and datasets cannot change).

    Accepts ``subject, object, type`` or ``id, id2, rel``.

    :param comment: the new comment
    :type comment: string
    :rtype: dictionary
    """
    subject_ref, object_ref, rel_type, comment = relationship_keys(data_dict)
    subject, obj = _packages.relationship_packages(context, subject_ref, object_ref)
    check_access("package_relationship_update", context, data_dict)
    _packages.default_message(context, f"REST API: Update package relationship: {subject.name} {rel_type} {obj.name}")
    rel = _packages.active_relationship(subject, obj, rel_type, (subject_ref, object_ref))
    with revision(context):
        rel.comment = comment
        rel.save()
    return relationship_as_seen_from(rel, subject, ref_attr(context))


def make_latest_pending_package_active(context, data_dict):
    """Apply the latest pending (moderated) edit of a dataset and mark it approved.

    Older pending edits of the dataset are discarded. Nothing happens when
    there is none.

    :param id: the id or name of the dataset
    :type id: string
    :returns: the dataset
    :rtype: dictionary
    """
    package = _packages.get_package(context, data_dict)
    check_access("make_latest_pending_package_active", context, data_dict)
    pending = list(package.pending_revisions.filter(state=STATE_PENDING).order_by("-timestamp", "-id"))
    if not pending:
        return _packages.show(package, context)
    latest = pending[0]
    stored = latest.pending_data or {}
    data = stored.get("data") if isinstance(stored.get("data"), dict) else {}
    context["message"] = latest.message or f"Approved pending revision {latest.id}"
    with revision(context) as rev:
        package, _ = _packages.write_package(context, data, package, partial=bool(stored.get("partial")))
        now = timezone.now()
        latest.state, latest.approved_timestamp = STATE_ACTIVE, now
        latest.save(update_fields=["state", "approved_timestamp"])
        latest.packages.add(package)
        for older in pending[1:]:
            older.state = STATE_DELETED
            older.save(update_fields=["state"])
    return _packages.show_written(package, rev, context)


# ---------------------------------------------------------------- groups, users, roles


def _update_group(context, data_dict, group, *, partial):
    cleaned = validate_group(data_dict, group=group)
    if "state" in cleaned and not authz.check(context.get("user"), authz.CHANGE_STATE, group):
        # As CKAN 1.6: only those who may change the group's state can set it.
        del cleaned["state"]
    message = data_dict.get("log_message")
    if isinstance(message, str) and message:
        context["message"] = message
    elif not context.get("message"):
        context["message"] = f"REST API: Update object {cleaned.get('name', group.name)}"
    with name_taken_on_conflict(GROUP_NAME_TAKEN), revision(context):
        # Saved over the group as it is once locked: a concurrent change of other fields stays.
        group = Group.objects.select_for_update().get(pk=group.pk)
        save_group(cleaned, group, partial=partial)
    group.refresh_from_db()
    return group


def group_update(context, data_dict):
    """Update a group (its admins and editors, and sysadmins, may).

    Fields not sent keep their values, but, as in CKAN 1.6, ``extras`` and
    ``packages`` are replaced by what is sent: leaving them out removes the
    group's extras and datasets. (``group_update_rest`` keeps them.)

    :param id: the id or name of the group
    :type id: string
    :param name: a new name (optional)
    :type name: string
    :param title: the title (optional)
    :type title: string
    :param description: the description (optional)
    :type description: string
    :param extras: ``[{"key": ..., "value": ...}]``
    :type extras: list of dicts
    :param packages: the group's datasets, as ``[{"id": ...}]`` or
        ``[{"name": ...}]`` (``datasets`` is accepted too)
    :type packages: list of dicts
    :param state: ``active`` or ``deleted`` (only for the group's admins)
    :type state: string

    :returns: the updated group (as ``group_show`` gives it)
    :rtype: dictionary
    """
    group = group_for_action(context, get_or_bust(data_dict, "id"))
    check_access("group_update", context, data_dict)
    group = _update_group(context, data_dict, group, partial=False)
    return group_dictize(group, context)


def group_patch(context, data_dict):
    """Update a group partially (CKAN 2.x): only the keys given change.

    Unlike group_update, ``extras`` and ``packages`` not given are kept; a
    list given replaces the whole list. Same access rule as group_update; one
    revision.

    :param id: the id or name of the group
    :type id: string
    :param ...: any group keys of group_update
    :returns: the updated group (as ``group_show`` gives it)
    :rtype: dictionary
    """
    group = group_for_action(context, get_or_bust(data_dict, "id"))
    check_access("group_patch", context, data_dict)
    group = _update_group(context, data_dict, group, partial=True)
    return group_dictize(group, context)


def group_update_rest(context, data_dict):
    """Update a group from a Model API body; what is not sent is kept, datasets included.

    :param id: the id or name of the group (the Model API passes the URL's
        reference in ``context["id"]`` instead)
    :type id: string
    :param packages: dataset names or ids, replacing the group's datasets
        (``datasets`` is accepted too) (optional)
    :type packages: list of strings
    :param extras: ``{key: value}``, replacing the group's extras (optional)
    :type extras: dictionary

    :returns: the updated group in the Model API format (v1 names, v2 ids)
    :rtype: dictionary
    """
    ref = context.get("id") or data_dict.get("id")
    group = group_for_action(context, get_or_bust({"id": ref}, "id"))
    check_access("group_update_rest", context, data_dict)
    group = _update_group(context, data_dict, group, partial=True)
    return group_to_rest(group, context)


def _found_user(context, data_dict):
    """The user `data_dict["id"]` names (id or name), also put in context["user_obj"]; NotFound if none."""
    user_obj = find_user(get_or_bust(data_dict, "id"))
    if user_obj is None:
        raise NotFound("User was not found")
    context["user_obj"] = user_obj
    return user_obj


def user_update(context, data_dict):
    """Update a user's details (the user themself, or a sysadmin, may).

    A ``reset_key`` matching the user's (from a password-reset email) also
    authorises the update, once; a wrong one is refused. The API key cannot
    be set.

    :param id: the id or name of the user
    :type id: string
    :param email: the email address (required)
    :type email: string
    :param name: a new login name (optional)
    :type name: string
    :param password: a new password, at least 4 characters (optional)
    :type password: string
    :param fullname: the full name (optional)
    :type fullname: string
    :param about: a description of the user, without links (optional)
    :type about: string
    :param reset_key: the user's password-reset key (optional)
    :type reset_key: string

    :returns: the updated user
    :rtype: dictionary
    """
    user_obj = _found_user(context, data_dict)
    check_access("user_update", context, data_dict)
    cleaned = validate_user(data_dict, user=user_obj)
    reset_key = data_dict.get("reset_key")
    # Users are not versioned objects: a plain transaction, no revision.
    with name_taken_on_conflict(USER_NAME_TAKEN), transaction.atomic():
        # Saved over the user as it is once locked: an API key regenerated or a sysadmin
        # flag set meanwhile is not written back, and a reset key authorises one update
        # only (access is checked again against the locked row).
        user_obj = User.objects.select_for_update().get(pk=user_obj.pk)
        context["user_obj"] = user_obj
        check_access("user_update", context, data_dict)
        if isinstance(reset_key, str) and reset_key and reset_key == user_obj.reset_key:
            user_obj.reset_key = ""
        save_user(cleaned, user_obj)
    viewer = context.get("user")
    private = authz.is_sysadmin(viewer) or (authz.is_logged_in(viewer) and viewer.pk == user_obj.pk)
    return user_dictize(user_with_counts(user_obj), private=private)


def user_generate_apikey(context, data_dict):
    """Give a user a new API key; the old one stops working at once.

    The user themself or a sysadmin may (a password-reset key does not
    authorise this). CKAN 2.x has an action of the same name.

    :param id: the id or name of the user
    :type id: string

    :returns: the user, with the new ``apikey``
    :rtype: dictionary
    """
    user_obj = _found_user(context, data_dict)
    check_access("user_generate_apikey", context, data_dict)
    user_obj.reset_api_key()
    return user_dictize(user_with_counts(user_obj), private=True)


def _holder(data_dict):
    """The role holder a user_roles entry names: exactly one of `user` and `authorization_group`."""
    user_ref, group_ref = data_dict.get("user"), data_dict.get("authorization_group")
    if bool(user_ref) == bool(group_ref):
        raise ParameterError('You must provide either "user" or "authorization_group" parameter.')
    return find_user_holder(user_ref) if user_ref else find_authorization_group_holder(group_ref)


def _domain_object(context, data_dict):
    obj = find_domain_object(get_or_bust(data_dict, "domain_object"))
    context["domain_object"] = obj
    return obj


def _roles(data_dict):
    if "roles" not in data_dict:
        raise ValidationError({"roles": ["Missing value"]})
    return clean_roles(data_dict["roles"])


def user_role_update(context, data_dict):
    """Set the roles a user (or an authorization group) holds on a dataset or group.

    The given roles replace those the holder had there; ``[]`` removes them
    all. Only the object's admins and sysadmins may.

    :param user: the id or name of the user (or ``visitor``/``logged_in``)
    :type user: string
    :param authorization_group: the id or name of an authorization group,
        instead of ``user``
    :type authorization_group: string
    :param domain_object: the id or name of the dataset or group
    :type domain_object: string
    :param roles: role names: ``admin``, ``editor``, ``anon_editor``, ``reader``
    :type roles: list of strings

    :returns: the holder's roles on the object (as ``roles_show`` gives them)
    :rtype: dictionary
    """
    obj = _domain_object(context, data_dict)
    check_access("user_role_update", context, data_dict)
    holder = _holder(data_dict)
    roles = _roles(data_dict)
    with transaction.atomic():
        set_roles(obj, holder, roles)
    if holder.kind == "authorization_group":
        return roles_show_dict(obj, authorization_group=holder)
    return roles_show_dict(obj, holder)


def user_role_bulk_update(context, data_dict):
    """Set the roles of several users (or authorization groups) on one dataset or group.

    Each entry replaces that holder's roles; holders not mentioned keep theirs.

    :param domain_object: the id or name of the dataset or group
    :type domain_object: string
    :param user_roles: ``[{"user": ..., "roles": [...]}]`` (or
        ``authorization_group`` instead of ``user``)
    :type user_roles: list of dicts

    :returns: all the roles on the object (as ``roles_show`` gives them)
    :rtype: dictionary
    """
    obj = _domain_object(context, data_dict)
    check_access("user_role_bulk_update", context, data_dict)
    entries = data_dict.get("user_roles")
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise ValidationError({"user_roles": ["Must be a list of {user, roles} objects"]})
    wanted = {}
    for entry in entries:
        holder = _holder(entry)
        key = (holder.kind, holder.id)
        roles = clean_roles(entry.get("roles", []), field="user_roles")
        wanted.setdefault(key, (holder, set()))[1].update(roles)
    with transaction.atomic():
        for holder, roles in wanted.values():
            set_roles(obj, holder, roles)
    return roles_show_dict(obj)


def user_sysadmin_update(context, data_dict):
    """Grant or withdraw a user's sysadmin rights (sysadmins only).

    A sysadmin may do anything, on every API surface and in the admin.
    Granting also reactivates a deactivated user, as ``create_sysadmin`` does.

    :param id: the id or name of the user
    :type id: string
    :param sysadmin: ``true`` to grant, ``false`` to withdraw
    :type sysadmin: boolean

    :returns: the user
    :rtype: dictionary
    """
    user_obj = _found_user(context, data_dict)
    check_access("user_sysadmin_update", context, data_dict)
    wanted = data_dict.get("sysadmin")
    if not isinstance(wanted, bool):
        raise ValidationError({"sysadmin": ["Must be true or false"]})
    with transaction.atomic():
        user_obj.sysadmin = wanted
        fields = ["sysadmin"]
        if wanted and not user_obj.is_active:
            user_obj.is_active = True
            fields.append("is_active")
        user_obj.save(update_fields=fields)
    return user_dictize(user_with_counts(user_obj), private=True)
