"""Create actions."""
from django.db import transaction

from accounts.models import User
from catalog import authz
from catalog.logic import check_access
from catalog.logic.action import _packages
from catalog.logic.conflicts import name_taken_on_conflict
from catalog.logic.dictization import ref_attr, relationship_as_seen_from, resource_dictize
from catalog.logic.errors import NotFound, ValidationError
from catalog.logic.group_dictization import group_dictize, group_to_rest
from catalog.logic.group_save import save_group
from catalog.logic.group_schemas import NAME_TAKEN as GROUP_NAME_TAKEN, validate_group
from catalog.logic.save import find_package, relationship_save
from catalog.logic.schemas import chosen_id, relationship_keys, validate_rating, validate_resource
from catalog.logic.user_dictization import user_dictize, user_with_counts
from catalog.logic.user_save import save_user
from catalog.logic.user_schemas import NAME_TAKEN as USER_NAME_TAKEN, validate_user
from catalog.models import STATE_ACTIVE, Group, Rating, Resource
from catalog.revisions import revision


# ---------------------------------------------------------------- datasets

def package_create(context, data_dict):
    """Create a dataset; the creator becomes its admin.

    :param name: the dataset's name: 2-100 characters of lowercase a-z, 0-9, ``-`` and ``_``
    :type name: string
    :param title: the title (optional; defaults to the name)
    :type title: string
    :param url, version, author, author_email, maintainer, maintainer_email, notes, license_id:
        optional text fields
    :type url, version, author, author_email, maintainer, maintainer_email, notes, license_id: string
    :param resources: resource dicts (``url``, ``format``, ``description``, ``hash``, ...), in order
    :type resources: list of dictionaries
    :param tags: tag dicts with ``name`` (or plain tag names)
    :type tags: list of dictionaries
    :param extras: dicts with ``key`` and ``value``
    :type extras: list of dictionaries
    :param groups: group dicts with ``id`` or ``name`` (with both: the group with that id, else the
        one with that name); the user must be allowed to edit each group
    :type groups: list of dictionaries
    :param relationships_as_subject, relationships_as_object: relationship dicts
        (``object``/``subject``, ``type``, ``comment``); one to a dataset that
        does not exist (yet) is skipped and listed under ``warnings`` in the answer
    :type relationships_as_subject, relationships_as_object: list of dictionaries
    :param id: only for sysadmins (loading a dumped catalog): the new dataset's id,
        a UUID no dataset holds; resources may keep theirs the same way
    :type id: string
    :param log_message: the revision message (optional)
    :type log_message: string
    :returns: the new dataset
    :rtype: dictionary
    """
    check_access("package_create", context, data_dict)
    package, rev = _packages.write_package(context, data_dict)
    return _packages.show_written(package, rev, context)


def package_create_validate(context, data_dict):
    """Check a dataset as package_create would, without creating it.

    :returns: the cleaned dataset dict
    :rtype: dictionary
    """
    check_access("package_create_validate", context, data_dict)
    return _cleaned_for_output(_packages.write_package(context, data_dict, validate_only=True))


def _cleaned_for_output(cleaned):
    cleaned.pop("log_message", None)
    if "tags" in cleaned:
        cleaned["tags"] = [{"name": name} for name in cleaned["tags"]]
    if "groups" in cleaned:
        cleaned["groups"] = [{"id": ref[0], "name": ref[1]} if isinstance(ref, tuple) else {"name": ref}
                             for ref in cleaned["groups"]]
    for resource in cleaned.get("resources", []):
        resource.update(resource.pop("extras", {}))
    return cleaned


def package_create_rest(context, data_dict):
    """Create a dataset from a Model API body (tags as names, extras as an object,
    groups by name or id); returns it in the Model API format (v1 unless API v2).

    :rtype: dictionary
    """
    check_access("package_create_rest", context, data_dict)
    converted = _packages.rest_to_dict(data_dict)
    package, rev = _packages.write_package(context, converted)
    return _packages.show_rest_written(package, rev, context)


def resource_create(context, data_dict):
    """Add a resource at the end of a dataset's resources.

    :param package_id: the id or name of the dataset
    :type package_id: string
    :param url: the resource's URL
    :type url: string
    :param format, description, hash, name, resource_type, mimetype, size...: optional resource fields;
        other keys are kept as the resource's extras
    :param id: only for sysadmins: the new resource's id, a UUID no resource holds
    :type id: string
    :returns: the new resource
    :rtype: dictionary
    """
    package = _packages.get_package(context, data_dict, key="package_id")
    check_access("resource_create", context, data_dict)
    new_id = _chosen_id(context, data_dict, Resource)
    cleaned = validate_resource(data_dict)
    cleaned.pop("id", None)
    with revision(context):
        # Locked first, so that concurrent creates take successive positions.
        package = _packages.locked(package)
        position = Resource.objects.filter(package=package, state=STATE_ACTIVE).count()
        resource = Resource(package=package, position=position, url="", extras=cleaned.pop("extras"))
        if new_id:
            resource.id = new_id
        for field, value in cleaned.items():
            setattr(resource, field, value)
        resource.save()
        _packages.bump(package)
    resource.package = package
    return resource_dictize(resource)


def package_relationship_create(context, data_dict):
    """Relate two datasets; an existing relationship of the same type gets the new comment.

    Accepts CKAN 1.6's keys ``subject, object, type`` or the spec's ``id, id2, rel``.

    :param subject: the dataset the relationship is stated about (id or name)
    :type subject: string
    :param object: the other dataset (id or name)
    :type object: string
    :param type: one of depends_on, dependency_of, derives_from, has_derivation,
        child_of, parent_of, links_to, linked_from
    :type type: string
    :param comment: optional
    :type comment: string
    :returns: ``subject``, ``type``, ``object``, ``comment`` as seen from the subject
    :rtype: dictionary
    """
    subject_ref, object_ref, rel_type, comment = relationship_keys(data_dict)
    subject, obj = _packages.relationship_packages(context, subject_ref, object_ref)
    check_access("package_relationship_create", context, data_dict)
    _packages.default_message(context, f"REST API: Create package relationship: {subject.name} {rel_type} {obj.name}")
    with revision(context):
        rel = relationship_save(subject, obj, rel_type, comment)
    return relationship_as_seen_from(rel, subject, ref_attr(context))


def rating_create(context, data_dict):
    """Rate a dataset from 1 to 5; rating it again replaces the user's rating.

    :param package: the id or name of the dataset (the spec calls it ``dataset``)
    :type package: string
    :param rating: 1 to 5
    :type rating: int
    :returns: ``rating average`` and ``rating count`` of the dataset
    :rtype: dictionary
    """
    ref, value = validate_rating(data_dict)
    package = find_package(ref)
    if package is None:
        raise NotFound(f"Dataset not found: {ref}")
    context["package"] = package
    check_access("rating_create", context, data_dict)
    user = context["user"]
    with revision(context):
        # Locked first: two ratings by one user at once would otherwise both delete
        # nothing and both insert; the answer counts the ratings as this write left them.
        _packages.locked(package)
        Rating.objects.filter(package=package, user=user).delete()
        Rating.objects.create(package=package, user=user, rating=value)
        ratings = list(Rating.objects.filter(package=package).values_list("rating", flat=True))
    return {"rating average": sum(ratings) / len(ratings), "rating count": len(ratings)}


# ---------------------------------------------------------------- groups, users


def _take_log_message(context, data_dict, default):
    """The revision message: the body's `log_message`, else the request's, else `default`."""
    message = data_dict.get("log_message")
    if isinstance(message, str) and message:
        context["message"] = message
    elif not context.get("message"):
        context["message"] = default


def _chosen_id(context, data_dict, model):
    """The id the new object keeps: none unless a sysadmin gives a free UUID (a dumped catalog
    being loaded); anyone else giving one is refused, as in CKAN 1.6 (ticket 662)."""
    new_id, messages = chosen_id(data_dict.get("id"), model, allowed=authz.is_sysadmin(context.get("user")))
    if messages:
        raise ValidationError({"id": messages})
    return new_id


def _create_group(context, data_dict):
    new_id = _chosen_id(context, data_dict, Group)
    cleaned = validate_group(data_dict)
    _take_log_message(context, data_dict, f"REST API: Create object {cleaned['name']}")
    with name_taken_on_conflict(GROUP_NAME_TAKEN), revision(context):
        group = save_group(cleaned, new_id=new_id)
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
    :param id: only for sysadmins (loading a dumped catalog): the new group's id,
        a UUID no group holds
    :type id: string

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
    :param id: only for sysadmins (loading a dumped catalog): the new user's id, a free UUID
    :type id: string
    :param password_hash: only for sysadmins, instead of ``password``: the password hash
        ``user_show`` gives sysadmins with ``include_password_hash``
    :type password_hash: string

    :returns: the new user (as ``user_show`` gives it to someone else, unless
        the caller is a sysadmin)
    :rtype: dictionary
    """
    check_access("user_create", context, data_dict)
    new_id = _chosen_id(context, data_dict, User)
    cleaned = validate_user(data_dict, password_hash_allowed=authz.is_sysadmin(context.get("user")))
    # Users are not versioned objects: a plain transaction, no revision.
    with name_taken_on_conflict(USER_NAME_TAKEN), transaction.atomic():
        user = save_user(cleaned, new_id=new_id)
    context["user_obj"] = user
    return user_dictize(user_with_counts(user), private=authz.is_sysadmin(context.get("user")))
