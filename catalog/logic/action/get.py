"""Read actions: everything a client can ask without changing the catalog."""
from django.db.models import Count, Q

from catalog.logic import check_access, get_or_bust
from catalog.logic.action import _packages
from catalog.logic.dictization import (
    isoformat,
    package_dictize,
    package_queryset,
    relationship_as_seen_from,
    resource_dictize,
)
from catalog.logic.errors import NotFound, ValidationError
from catalog.logic.save import find_package
from catalog.logic.schemas import relationship_type_message
from catalog.models import STATE_ACTIVE, STATE_DELETED, Package, PackageRelationship, Resource, Revision


def site_read(context, data_dict):
    """Return ``True`` if the site may be read by the caller.

    :rtype: boolean
    """
    check_access("site_read", context, data_dict)
    return True


# ---------------------------------------------------------------- datasets

_INT_PARAM_MAX = 2**31 - 1


def _int_param(data_dict, key, default, *, minimum=0):
    value = data_dict.get(key, default)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError({key: ["Invalid integer"]}) from None
    if isinstance(value, bool) or not minimum <= number <= _INT_PARAM_MAX:
        raise ValidationError({key: [f"Must be an integer from {minimum} to {_INT_PARAM_MAX}"]})
    return number


def _ref_attr(context):
    return "id" if str(context.get("api_version")) == "2" else "name"


def package_list(context, data_dict):
    """Return the names of the active datasets (ids under API v2).

    :rtype: list of strings
    """
    check_access("package_list", context, data_dict)
    packages = Package.objects.filter(state=STATE_ACTIVE).order_by("name")
    return list(packages.values_list(_ref_attr(context), flat=True))


def current_package_list_with_resources(context, data_dict):
    """Return the active datasets, with their resources, most recently modified first.

    :param limit: how many datasets to return (optional, default: all)
    :type limit: int
    :param page: which page of ``limit`` datasets, from 1 (optional)
    :type page: int
    :rtype: list of dataset dictionaries
    """
    check_access("current_package_list_with_resources", context, data_dict)
    limit = _int_param(data_dict, "limit", None, minimum=0)
    page = _int_param(data_dict, "page", 1, minimum=1)
    offset = _int_param(data_dict, "offset", 0)
    packages = package_queryset().filter(state=STATE_ACTIVE).order_by("-metadata_modified", "name")
    if limit is not None:
        start = offset + (page - 1) * limit
        packages = packages[start:start + limit]
    elif offset:
        packages = packages[offset:]
    return [package_dictize(package, context) for package in packages]


def _revision_dict(rev):
    return {
        "id": rev.id,
        "timestamp": isoformat(rev.timestamp),
        "message": rev.message,
        "author": rev.author,
        "approved_timestamp": isoformat(rev.approved_timestamp),
    }


def revision_list(context, data_dict):
    """Return the ids of every revision, newest first.

    :rtype: list of strings
    """
    check_access("revision_list", context, data_dict)
    revisions = Revision.objects.filter(state=STATE_ACTIVE).order_by("-timestamp", "-id")
    return list(revisions.values_list("id", flat=True))


def package_revision_list(context, data_dict):
    """Return the revisions that changed a dataset, newest first.

    :param id: the id or name of the dataset
    :type id: string
    :returns: dicts with ``id``, ``timestamp``, ``message``, ``author`` and ``approved_timestamp``
    :rtype: list of dictionaries
    """
    package = _packages.get_package(context, data_dict)
    check_access("package_revision_list", context, data_dict)
    revisions = package.revisions.filter(state=STATE_ACTIVE).order_by("-timestamp", "-id")
    return [_revision_dict(rev) for rev in revisions]


def revision_show(context, data_dict):
    """Return a revision: its author, message, time and the datasets and groups it changed.

    :param id: the id of the revision
    :type id: string
    :returns: ``id``, ``timestamp``, ``message``, ``author``, ``approved_timestamp``, ``state``,
        ``packages`` (names; ids under API v2) and ``groups`` (names)
    :rtype: dictionary
    """
    check_access("revision_show", context, data_dict)
    ref = get_or_bust(data_dict, "id")
    rev = Revision.objects.filter(pk=ref).first() if isinstance(ref, str) else None
    if rev is None:
        raise NotFound(f"Revision not found: {ref}")
    result = _revision_dict(rev)
    result["state"] = rev.state
    ref_by = _ref_attr(context)
    result["packages"] = sorted(rev.packages.values_list(ref_by, flat=True))
    result["groups"] = sorted(rev.groups.values_list(ref_by, flat=True))
    return result


def package_relationships_list(context, data_dict):
    """Return a dataset's relationships, as seen from that dataset.

    :param id: the id or name of the dataset
    :type id: string
    :param id2: only relationships with this other dataset (optional)
    :type id2: string
    :param rel: only relationships of this type, e.g. ``depends_on`` (optional)
    :type rel: string
    :returns: dicts with ``subject``, ``type``, ``object`` and ``comment`` (names; ids under API v2)
    :rtype: list of dictionaries
    """
    package = _packages.get_package(context, data_dict)
    other = None
    if data_dict.get("id2") not in (None, ""):
        other = find_package(data_dict["id2"]) if isinstance(data_dict["id2"], str) else None
        if other is None:
            raise NotFound(f"Second dataset not found: {data_dict['id2']}")
        context["package2"] = other
    rel = data_dict.get("rel")
    if rel == "relationships":
        rel = None
    if rel not in (None, "") and rel not in PackageRelationship.TYPES:
        raise ValidationError({"rel": [relationship_type_message(rel)]})
    check_access("package_relationships_list", context, data_dict)

    rels = PackageRelationship.objects.filter(
        Q(subject=package) | Q(object=package),
        state=STATE_ACTIVE,
        subject__state=STATE_ACTIVE,
        object__state=STATE_ACTIVE,
    ).select_related("subject", "object")
    ref_by = _ref_attr(context)
    results = []
    for relationship in rels.order_by("type", "subject__name", "object__name"):
        seen = relationship_as_seen_from(relationship, package, ref_by)
        other_side = relationship.object if relationship.subject_id == package.id else relationship.subject
        if other is not None and other_side.id != other.id:
            continue
        if rel and seen["type"] != rel:
            continue
        results.append(seen)
    if rel and not results:
        raise NotFound(f"Relationship {data_dict.get('id')} {rel} {data_dict.get('id2') or ''} not found")
    return results


def package_show(context, data_dict):
    """Return a dataset: its fields, resources, tags, groups, extras and relationships.

    A deleted dataset is shown only to its admins and to sysadmins.

    :param id: the id or name of the dataset
    :type id: string
    :rtype: dictionary
    """
    package = _packages.get_package(context, data_dict, for_display=True)
    check_access("package_show", context, data_dict)
    return _packages.show(package, context, prefetched=True)


def package_show_rest(context, data_dict):
    """Return a dataset in the Model API format (v1: names; v2: ids).

    :param id: the id or name of the dataset
    :type id: string
    :rtype: dictionary
    """
    package = _packages.get_package(context, data_dict, for_display=True)
    check_access("package_show_rest", context, data_dict)
    return _packages.show_rest(package, context, prefetched=True)


def resource_show(context, data_dict):
    """Return a resource.

    :param id: the id of the resource
    :type id: string
    :rtype: dictionary
    """
    ref = get_or_bust(data_dict, "id")
    resource = Resource.objects.select_related("package").filter(pk=ref).first() if isinstance(ref, str) else None
    if resource is None or resource.state == STATE_DELETED:
        raise NotFound(f"Resource not found: {ref}")
    context["resource"] = resource
    check_access("resource_show", context, data_dict)
    return resource_dictize(resource)


def package_autocomplete(context, data_dict):
    """Return datasets whose name or title starts with ``q``.

    :param q: the start of a name or title
    :type q: string
    :param limit: the most to return (optional, default 10)
    :type limit: int
    :returns: dicts with ``name``, ``title``, ``match_field`` and ``match_displayed``
    :rtype: list of dictionaries
    """
    check_access("package_autocomplete", context, data_dict)
    q = data_dict.get("q")
    limit = _int_param(data_dict, "limit", 10)
    if not isinstance(q, str) or not q:
        return []
    packages = (
        Package.objects.filter(state=STATE_ACTIVE)
        .filter(Q(name__istartswith=q) | Q(title__istartswith=q))
        .order_by("name")[:limit]
    )
    q_lower = q.lower()
    results = []
    for package in packages:
        if package.name.startswith(q_lower):
            match_field, match_displayed = "name", package.name
        else:
            match_field, match_displayed = "title", f"{package.title} ({package.name})"
        results.append(
            {"name": package.name, "title": package.title, "match_field": match_field, "match_displayed": match_displayed}
        )
    return results


def format_autocomplete(context, data_dict):
    """Return the resource formats containing ``q`` (case-insensitive), most used first.

    :param q: part of a format
    :type q: string
    :param limit: the most to return (optional, default 5)
    :type limit: int
    :rtype: list of strings
    """
    check_access("format_autocomplete", context, data_dict)
    q = data_dict.get("q")
    limit = _int_param(data_dict, "limit", 5)
    if not isinstance(q, str) or not q:
        return []
    formats = (
        Resource.objects.filter(state=STATE_ACTIVE, package__state=STATE_ACTIVE, format__icontains=q)
        .values("format")
        .annotate(total=Count("id"))
        .order_by("-total", "format")[:limit]
    )
    return [row["format"] for row in formats]
