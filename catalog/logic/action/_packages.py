"""Steps the dataset actions of get/create/update/delete share (not actions)."""
import orjson
from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone

from catalog import authz, dict_cache
from catalog.logic.dictization import package_dictize, package_queryset, package_to_rest
from catalog.logic.errors import NotFound, ParameterError, ValidationError
from catalog.logic.save import find_package, package_dict_save, stored_triple
from catalog.logic.schemas import NAME_TAKEN, validate_package
from catalog.models import STATE_ACTIVE, Package, PackageRelationship
from catalog.revisions import create_pending_revision, current_revision, revision


def get_package(context, data_dict, key="id", *, for_display=False, for_show=False):
    """The dataset `data_dict[key]` names (id or name), also put in context["package"].

    `for_display` prefetches what dictization reads, for reads that show it as
    found; `for_show` fetches its stored package_show dict with it (for `show`).
    """
    ref = data_dict.get(key)
    if ref in (None, ""):
        raise ValidationError({key: ["Missing value"]})
    if for_show:
        package = dict_cache.find_package(ref)
    else:
        package = find_package(ref, package_queryset() if for_display else None)
    if package is None:
        raise NotFound(f"Dataset not found: {ref}")
    context["package"] = package
    return package


def _build(package):
    return package_dictize(package_queryset().get(pk=package.pk), {})


def show(package, context, *, prefetched=False, passthrough=False):
    """The Action API dict of `package`: its stored copy (catalog.dict_cache), else built.
    A `prefetched` package (from package_queryset()) is dictized directly. With
    `passthrough`, the stored copy's JSON text as an orjson.Fragment (for an answer only).
    """
    if prefetched:
        return package_dictize(package, context)
    if passthrough:
        # The Action API writes its answer with orjson: the stored JSON text goes in as it is.
        return orjson.Fragment(dict_cache.package_text(package, _build))
    return dict_cache.package_dict(package, _build)


def show_written(package, rev, context):
    """The answer of a dataset write: the dict the write itself built and stored (catalog.changes).

    What the write skipped (relationships to datasets not here) is added under `warnings`.
    """
    written = getattr(rev, "changes", None)
    result = written.package_dict(package.pk) if written is not None else None
    result = result if result is not None else show(package, context)
    if context.get("warnings"):
        result = {**result, "warnings": context["warnings"]}
    return result


def show_rest(package, context, *, prefetched=False):
    if not prefetched:
        package = package_queryset().get(pk=package.pk)
    return package_to_rest(package, _rest_context(context))


def show_rest_written(package, rev, context):
    """The Model API answer of a dataset write, from the dataset as the write read it back."""
    written = getattr(rev, "changes", None)
    read_back = written.package(package.pk) if written is not None else None
    if read_back is not None:
        return show_rest(read_back, context, prefetched=True)
    return show_rest(package, context)


def _rest_context(context):
    """REST representations are v1 unless the caller asked for v2 (1.6's default)."""
    if str(context.get("api_version")) == "2":
        return context
    return dict(context, api_version=1)


_REST_SHAPES = {
    "resources": ((list,), dict, "a list of resource objects"),
    "tags": ((list, str), (str, int, float, dict), "a list of tag names"),
    "groups": ((list,), (str, dict), "a list of group names or ids"),
    "extras": ((dict, list), None, "an object of keys and values"),
}


def _check_rest_shape(data):
    """A Model API body whose structure is wrong is a bad request (400), as in CKAN 1.6.

    Values inside a well-formed structure are left to the schema (409).
    """
    for key, (container_types, item_types, expected) in _REST_SHAPES.items():
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, container_types):
            raise ParameterError(f"{key} must be {expected}")
        if item_types and isinstance(value, list) and not all(isinstance(item, item_types) for item in value):
            raise ParameterError(f"{key} must be {expected}")


def rest_to_dict(data):
    """A Model API body in the Action API's shape (tags as names, extras as a dict...)."""
    _check_rest_shape(data)
    converted = dict(data)
    tags = converted.get("tags")
    if isinstance(tags, str):
        converted["tags"] = tags.split()
    extras = converted.get("extras")
    if isinstance(extras, dict):
        converted["extras"] = [{"key": key, "value": value} for key, value in extras.items()]
    download_url = converted.pop("download_url", None)
    if download_url and not converted.get("resources"):
        converted["resources"] = [{"url": download_url}]
    return converted


def _is_moderated(context, package):
    user = context.get("user")
    return (
        authz.is_logged_in(user)
        and user.name in settings.CKAN_MODERATED_USERS
        and not authz.check(user, authz.CHANGE_STATE, package)
    )


def write_package(context, data_dict, package=None, *, partial=False, validate_only=False):
    """Validate and save a dataset (create when `package` is None); returns (Package, Revision).

    A non-admin's `state` is ignored (CKAN 1.6's ignore_not_package_admin).
    An update by a moderated user (settings.CKAN_MODERATED_USERS) who is not
    the dataset's admin becomes a pending revision instead, for
    make_latest_pending_package_active to apply (the Revision is then None).
    With `validate_only`, returns the cleaned dict and saves nothing.
    """
    cleaned = validate_package(data_dict, context, package=package)
    if "state" in cleaned and (package is None or not authz.check(context.get("user"), authz.CHANGE_STATE, package)):
        cleaned.pop("state")
    if validate_only:
        return cleaned
    if cleaned.get("log_message"):
        context["message"] = cleaned["log_message"]
    if package is not None and _is_moderated(context, package):
        create_pending_revision(context, package, {"data": data_dict, "partial": partial})
        return package, None
    verb = "Create" if package is None else "Update"
    default_message(context, f"REST API: {verb} object {cleaned.get('name') or package.name}")
    outermost = current_revision() is None
    try:
        with revision(context) as rev:
            saved = package_dict_save(cleaned, context, package, partial=partial)
            if package is None:
                authz.setup_default_roles(saved, context.get("user"))
    except IntegrityError:
        if outermost and _name_taken(cleaned.get("name"), package):
            raise ValidationError({"name": [NAME_TAKEN]}) from None
        raise
    context["package"] = saved
    return saved, rev


def _name_taken(name, package):
    """After a failed write: did a concurrent write take the name this one validated?"""
    others = Package.objects.filter(name=name)
    if package is not None:
        others = others.exclude(pk=package.pk)
    return name is not None and others.exists()


def default_message(context, message):
    """The revision message when the client gave none (CKAN 1.6's wording)."""
    if not context.get("message"):
        context["message"] = message


def locked(package):
    """`package` read again with its row locked until the transaction ends.

    For a write that reads the dataset before changing it (a patch merging
    into the current dict, a new resource taking the next position): it
    sees every write committed before it, and the next such write of the
    same dataset waits for it, so none is lost to a concurrent one.
    """
    return Package.objects.select_for_update().get(pk=package.pk)


def bump(package):
    """Record that a child of `package` changed: new metadata_modified and revision stamp."""
    package.metadata_modified = timezone.now()
    package.save(update_fields=["metadata_modified"])



def relationship_packages(context, subject_ref, object_ref):
    """The two datasets a relationship action names (NotFound for either), kept in the context for auth."""
    subject, obj = find_package(subject_ref), find_package(object_ref)
    if subject is None:
        raise NotFound(f"Subject dataset not found: {subject_ref}")
    if obj is None:
        raise NotFound(f"Object dataset not found: {object_ref}")
    context["package"], context["package2"] = subject, obj
    return subject, obj


def active_relationship(subject, obj, rel_type, refs):
    """The active relationship `subject rel_type obj` (in any of the 8 spellings); NotFound if none."""
    stored_subject, stored_object, stored_type = stored_triple(subject, obj, rel_type)
    rel = PackageRelationship.objects.filter(
        subject=stored_subject, object=stored_object, type=stored_type, state=STATE_ACTIVE
    ).first()
    if rel is None:
        raise NotFound(f"Relationship {refs[0]} {rel_type} {refs[1]} not found")
    return rel
