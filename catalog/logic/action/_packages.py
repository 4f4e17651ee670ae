"""Steps the dataset actions of get/create/update/delete share (not actions)."""
from django.conf import settings
from django.utils import timezone

from catalog import authz
from catalog.logic.dictization import package_dictize, package_queryset, package_to_rest
from catalog.logic.errors import NotFound, ValidationError
from catalog.logic.save import find_package, package_dict_save
from catalog.logic.schemas import validate_package
from catalog.revisions import create_pending_revision, revision


def get_package(context, data_dict, key="id", *, for_display=False):
    """The dataset `data_dict[key]` names (id or name), also put in context["package"].

    `for_display` prefetches what dictization reads, for reads that show it as found.
    """
    ref = data_dict.get(key)
    if ref in (None, ""):
        raise ValidationError({key: ["Missing value"]})
    package = find_package(ref, package_queryset() if for_display else None)
    if package is None:
        raise NotFound(f"Dataset not found: {ref}")
    context["package"] = package
    return package


def fresh(package):
    """`package` re-read with everything dictization needs prefetched."""
    return package_queryset().get(pk=package.pk)


def show(package, context, *, prefetched=False):
    """The Action API dict of `package`, re-read after a write unless already `prefetched`."""
    return package_dictize(package if prefetched else fresh(package), context)


def show_rest(package, context, *, prefetched=False):
    return package_to_rest(package if prefetched else fresh(package), _rest_context(context))


def _rest_context(context):
    """REST representations are v1 unless the caller asked for v2 (1.6's default)."""
    if str(context.get("api_version")) == "2":
        return context
    return dict(context, api_version=1)


def rest_to_dict(data):
    """A Model API body in the Action API's shape (tags as names, extras as a dict...)."""
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
    moderated = getattr(settings, "CKAN_MODERATED_USERS", ())
    return (
        authz.is_logged_in(user)
        and user.name in moderated
        and not authz.check(user, authz.CHANGE_STATE, package)
    )


def write_package(context, data_dict, package=None, *, partial=False, validate_only=False):
    """Validate and save a dataset (create when `package` is None); returns the Package.

    A non-admin's `state` is ignored (CKAN 1.6's ignore_not_package_admin).
    An update by a moderated user (settings.CKAN_MODERATED_USERS) who is not
    the dataset's admin becomes a pending revision instead, for
    make_latest_pending_package_active to apply.
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
        return package
    verb = "Create" if package is None else "Update"
    context.setdefault("message", "")
    if not context["message"]:
        context["message"] = f"REST API: {verb} object {cleaned.get('name') or package.name}"
    with revision(context):
        saved = package_dict_save(cleaned, context, package, partial=partial)
        if package is None:
            authz.setup_default_roles(saved, context.get("user"))
    context["package"] = saved
    return saved


def bump(package):
    """Record that a child of `package` changed: new metadata_modified and revision stamp."""
    package.metadata_modified = timezone.now()
    package.save(update_fields=["metadata_modified"])


def ref_attr(context):
    """How API data refers to datasets and groups: by id under API v2, else by name."""
    return "id" if str(context.get("api_version")) == "2" else "name"
