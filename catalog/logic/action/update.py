"""Update actions."""
from django.utils import timezone

from catalog.logic import check_access, get_or_bust
from catalog.logic.action import _packages
from catalog.logic.action.create import _cleaned_for_output, _relationship_packages
from catalog.logic.dictization import relationship_as_seen_from, resource_dictize
from catalog.logic.errors import NotFound
from catalog.logic.save import stored_triple
from catalog.logic.schemas import relationship_keys, validate_resource
from catalog.models import STATE_ACTIVE, STATE_DELETED, STATE_PENDING, PackageRelationship, Resource
from catalog.revisions import revision, touch_package


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
    package = _packages.write_package(context, data_dict, package)
    return _packages.show(package, context)


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
    converted = _packages.rest_to_dict(data_dict)
    check_access("package_update_rest", context, converted)
    package = _packages.write_package(context, converted, package, partial=True)
    return _packages.show_rest(package, context)


def resource_update(context, data_dict):
    """Update a resource; fields not given keep their values.

    :param id: the id of the resource
    :type id: string
    :returns: the updated resource
    :rtype: dictionary
    """
    ref = get_or_bust(data_dict, "id")
    resource = Resource.objects.select_related("package").filter(pk=ref).first() if isinstance(ref, str) else None
    if resource is None or resource.state == STATE_DELETED:
        raise NotFound(f"Resource not found: {ref}")
    context["resource"] = resource
    check_access("resource_update", context, data_dict)
    cleaned = validate_resource(data_dict)
    cleaned.pop("id", None)
    extras = cleaned.pop("extras")
    with revision(context):
        for field, value in cleaned.items():
            setattr(resource, field, value)
        if extras:
            resource.extras = {**(resource.extras or {}), **extras}
        resource.save()
        _packages.bump(resource.package)
        touch_package(resource.package)
    return resource_dictize(resource)


def package_relationship_update(context, data_dict):
    """Change the comment of a relationship (its type and datasets cannot change).

    Accepts ``subject, object, type`` or ``id, id2, rel``.

    :param comment: the new comment
    :type comment: string
    :rtype: dictionary
    """
    subject_ref, object_ref, rel_type, comment = relationship_keys(data_dict)
    subject, obj = _relationship_packages(context, subject_ref, object_ref)
    check_access("package_relationship_update", context, data_dict)
    stored_subject, stored_object, stored_type = stored_triple(subject, obj, rel_type)
    rel = PackageRelationship.objects.filter(
        subject=stored_subject, object=stored_object, type=stored_type, state=STATE_ACTIVE
    ).first()
    if rel is None:
        raise NotFound(f"Relationship {subject_ref} {rel_type} {object_ref} not found")
    with revision(context):
        rel.comment = comment
        rel.save()
        touch_package(subject)
        touch_package(obj)
    return relationship_as_seen_from(rel, subject, _packages.ref_attr(context))


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
    with revision(context):
        package = _packages.write_package(context, data, package, partial=bool(stored.get("partial")))
        now = timezone.now()
        latest.state, latest.approved_timestamp = STATE_ACTIVE, now
        latest.save(update_fields=["state", "approved_timestamp"])
        latest.packages.add(package)
        for older in pending[1:]:
            older.state = STATE_DELETED
            older.save(update_fields=["state"])
    return _packages.show(package, context)
