"""Read actions: everything a client can ask without changing the catalog."""
from django.conf import settings
from django.db import connections, router
from django.db.models import CharField, Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Concat, Lower, NullIf

from accounts.models import User
from catalog import licenses, read_cache
from catalog.logic import check_access, get_or_bust, is_sysadmin
from catalog.logic.action import _packages
from catalog.logic.dictization import (
    isoformat,
    package_dictize,
    package_queryset,
    relationship_as_seen_from,
    resource_dictize,
)
from catalog.logic.errors import NotFound, ParameterError, ValidationError
from catalog.logic.group_dictization import (
    active_packages_of_group,
    group_dictize,
    group_list_dictize,
    group_list_queryset,
    group_to_rest,
    package_dicts,
    ref_attr,
    tag_dictize,
    tag_show_dictize,
    tag_to_rest,
)
from catalog.logic.group_save import group_for_action
from catalog.logic.params import bool_param, int_param, search_text_param, str_param
from catalog.logic.roles import (
    editable_groups,
    find_authorization_group_holder,
    find_domain_object,
    find_user_holder,
    roles_show_dict,
)
from catalog.logic.save import find_package
from catalog.logic.schemas import relationship_type_message
from catalog.logic.user_dictization import (
    revision_dictize,
    revision_summary,
    user_dictize,
    user_with_counts,
    users_with_counts,
)
from catalog.logic.user_save import find_user
from catalog.models import (
    STATE_ACTIVE,
    STATE_DELETED,
    Member,
    Package,
    PackageRelationship,
    PackageTag,
    Resource,
    Revision,
    Tag,
)


# The CKAN API version this site implements, as status_show reports it.
CKAN_VERSION = "1.6"


def site_read(context, data_dict):
    """Return ``True`` if the site may be read by the caller.

    :rtype: boolean
    """
    check_access("site_read", context, data_dict)
    return True


# ---------------------------------------------------------------- datasets

def package_list(context, data_dict):
    """Return the names of the active datasets (ids under API v2).

    :rtype: list of strings
    """
    check_access("package_list", context, data_dict)
    column = ref_attr(context)
    names = read_cache.cached(read_cache.key_of("package_list", column), lambda: _flat_values(
        f"package_list_{column}",
        lambda: Package.objects.filter(state=STATE_ACTIVE).order_by("name").values_list(column, flat=True),
    ))
    return list(names)


def current_package_list_with_resources(context, data_dict):
    """Return the active datasets, with their resources, most recently modified first.

    :param limit: how many datasets to return (optional, default: all)
    :type limit: int
    :param page: which page of ``limit`` datasets, from 1 (optional)
    :type page: int
    :rtype: list of dataset dictionaries
    """
    check_access("current_package_list_with_resources", context, data_dict)
    limit = int_param(data_dict, "limit", None, minimum=0)
    page = int_param(data_dict, "page", 1, minimum=1)
    offset = int_param(data_dict, "offset", 0)
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
    ref_by = ref_attr(context)
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
    ref_by = ref_attr(context)
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
    package = _packages.get_package(context, data_dict, for_show=True)
    check_access("package_show", context, data_dict)
    return _packages.show(package, context, passthrough=context.get("json_passthrough", False))


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
    limit = int_param(data_dict, "limit", 10)
    if not isinstance(q, str) or not q:
        return []
    q = search_text_param(data_dict, "q")
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
        results.append({
            "name": package.name,
            "title": package.title,
            "match_field": match_field,
            "match_displayed": match_displayed,
        })
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
    limit = int_param(data_dict, "limit", 5)
    if not isinstance(q, str) or not q:
        return []
    q = search_text_param(data_dict, "q")
    formats = (
        Resource.objects.filter(state=STATE_ACTIVE, package__state=STATE_ACTIVE, format__icontains=q)
        .values("format")
        .annotate(total=Count("id"))
        .order_by("-total", "format")[:limit]
    )
    return [row["format"] for row in formats]

# ---------------------------------------------------------------- groups

# The most names group_list's `groups` may give: each is a query parameter
# (PostgreSQL refuses a query with more than 65535), and a caller needs a page's worth.
GROUP_LIST_MAX_NAMES = 1000


def group_list(context, data_dict):
    """Return the names (or ids in API v2, or dicts) of the active groups.

    :param order_by: ``name`` (the default) or ``packages`` (most datasets first)
    :type order_by: string
    :param all_fields: return group dicts, with ``packages`` the number of
        datasets, instead of names (default ``False``)
    :type all_fields: boolean
    :param groups: only the groups of these names (CKAN 2.x; optional)
    :type groups: list of strings
    :param limit: the most groups to return (CKAN 2.x; optional, default all)
    :type limit: int
    :param offset: how many groups to skip first (CKAN 2.x; default 0)
    :type offset: int

    :rtype: list of strings, or list of dicts
    """
    check_access("group_list", context, data_dict)
    order_by = data_dict.get("order_by") or "name"
    if order_by not in ("name", "packages"):
        raise ParameterError(f'"order_by" value {order_by!r} not implemented: use "name" or "packages"')
    all_fields = bool_param(data_dict, "all_fields")
    groups = group_list_queryset()
    names = data_dict.get("groups")
    if names is not None:
        names = [names] if isinstance(names, str) else names
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise ValidationError({"groups": ["Must be a list of group names"]})
        if len(names) > GROUP_LIST_MAX_NAMES:
            raise ValidationError({"groups": [f"At most {GROUP_LIST_MAX_NAMES} names"]})
        groups = groups.filter(name__in=names)
    groups = groups.order_by("-package_count", "name") if order_by == "packages" else groups.order_by("name")
    groups = _page(groups, data_dict)
    if all_fields:
        return [group_list_dictize(group) for group in groups]
    return list(groups.values_list(ref_attr(context), flat=True))


def group_list_authz(context, data_dict):
    """Return the groups the caller may edit, and so put datasets into.

    :rtype: list of dicts with ``id`` and ``name``
    """
    check_access("group_list_authz", context, data_dict)
    groups = editable_groups(context.get("user")).order_by("name")
    return [{"id": group.id, "name": group.name} for group in groups]


def group_list_available(context, data_dict):
    """Return the groups the caller may put a dataset into.

    Like ``group_list_authz``; given a dataset, the groups it is already in
    are left out.

    :param id: the id or name of a dataset (optional)
    :type id: string

    :rtype: list of dicts with ``id`` and ``name``
    """
    check_access("group_list_available", context, data_dict)
    groups = editable_groups(context.get("user"))
    if data_dict.get("id") not in (None, ""):
        package = find_package(str_param(data_dict, "id"))
        if package is None:
            raise NotFound("Dataset was not found")
        holding = Member.objects.filter(package=package, state=STATE_ACTIVE).values("group_id")
        groups = groups.exclude(id__in=holding)
    return [{"id": group.id, "name": group.name} for group in groups.order_by("name")]


def group_revision_list(context, data_dict):
    """Return the revisions that changed a group, newest first.

    :param id: the id or name of the group
    :type id: string

    :rtype: list of dicts with ``id``, ``timestamp``, ``message``, ``author``
        and ``approved_timestamp``
    """
    group = group_for_action(context, get_or_bust(data_dict, "id"))
    check_access("group_revision_list", context, data_dict)
    return [revision_dictize(revision) for revision in group.revisions.order_by("-timestamp")]


def group_show(context, data_dict):
    """Return a group: its fields, extras and datasets.

    :param id: the id or name of the group
    :type id: string
    :param include_datasets: false leaves ``packages`` out (CKAN 2.x; ``ckanapi dump``
        asks so: the datasets name their groups themselves) (optional, default true)
    :type include_datasets: bool

    :rtype: dictionary
    """
    group = group_for_action(context, get_or_bust(data_dict, "id"))
    check_access("group_show", context, data_dict)
    include_datasets = str(data_dict.get("include_datasets", True)).lower() not in ("false", "0", "no", "off")
    return group_dictize(group, context, include_datasets=include_datasets)


def group_show_rest(context, data_dict):
    """Return a group in the Model API format: datasets by name (v1) or id (v2).

    The dataset list is under ``packages`` (CKAN 1.6) and ``datasets`` (the
    spec); extras are an object.

    :param id: the id or name of the group
    :type id: string

    :rtype: dictionary
    """
    group = group_for_action(context, get_or_bust(data_dict, "id"))
    check_access("group_show_rest", context, data_dict)
    return group_to_rest(group, context)


def group_package_show(context, data_dict):
    """Return the active datasets of a group, by name.

    :param id: the id or name of the group
    :type id: string
    :param limit: the most datasets to return (optional)
    :type limit: int

    :rtype: list of dataset dicts
    """
    group = group_for_action(context, get_or_bust(data_dict, "id"))
    check_access("group_package_show", context, data_dict)
    limit = int_param(data_dict, "limit")
    packages = active_packages_of_group(group).order_by("name")
    if limit:
        packages = packages[:limit]
    return package_dicts(packages, context)


# ---------------------------------------------------------------- tags

def _unindexed(field):
    """`field`'s value through an expression no index serves (see `_tag_matches`)."""
    return Concat(field, Value(""), output_field=CharField())


def _tag_matches(terms=()):
    """Tags in use by an active dataset whose names contain every term (any case), by name.

    Per tag, one look-up of its first active use (a LIMIT 1 subquery): the
    package_tag rows by tag, the dataset by primary key. The states are
    compared through `_unindexed` so that PostgreSQL never drives the search
    from the (low-selectivity) state indexes: without table statistics (a
    fresh database, autovacuum off) it did, scanning every active dataset's
    tags for each tag (41 ms for 50 tags and 1000 datasets, against 0.7 ms).
    """
    in_use = (
        PackageTag.objects.annotate(use_state=_unindexed("state"), package_state=_unindexed("package__state"))
        .filter(tag=OuterRef("pk"), use_state=STATE_ACTIVE, package_state=STATE_ACTIVE)
        .values("pk")[:1]
    )
    tags = Tag.objects.annotate(first_use=Subquery(in_use)).filter(first_use__isnull=False)
    for term in terms:
        tags = tags.filter(name__icontains=term)
    return tags.order_by("name")


_COMPILED_SQL = {}


def _flat_values(key, queryset_factory):
    """The single column of `queryset_factory()`, its SQL compiled once per process under `key`.

    For the few hot, parameterless lists (package_list, tag_list): compiling
    a query costs the ORM more than the database takes to run it, and rows
    read straight from the cursor skip the ORM's per-row work.
    """
    model = queryset_factory().model
    alias = router.db_for_read(model)
    if (key, alias) not in _COMPILED_SQL:
        _COMPILED_SQL[key, alias] = queryset_factory().query.sql_with_params()
    sql, params = _COMPILED_SQL[key, alias]
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _in_use_tag_names():
    """The names `_tag_matches()` gives (compiling its subquery cost 0.74 of its 1.02 ms)."""
    return _flat_values("tag_names", lambda: _tag_matches().values_list("name", flat=True))


def _search_terms(data_dict, *keys):
    terms = []
    for key in keys:
        value = data_dict.get(key)
        values = value if isinstance(value, list) else [value]
        for term in values:
            if term in (None, ""):
                continue
            if not isinstance(term, str):
                raise ValidationError({key: ["Must be a string"]})
            terms.append(search_text_param({key: term}, key))
    return terms


def _page(queryset, data_dict, default_limit=None):
    offset = int_param(data_dict, "offset", 0)
    limit = int_param(data_dict, "limit", default_limit)
    return queryset[offset:offset + limit] if limit is not None else queryset[offset:]


def tag_list(context, data_dict):
    """Return the names (or dicts) of the tags in use by active datasets, by name.

    :param q: only tags whose names contain this text, any case (optional)
    :type q: string
    :param all_fields: return tag dicts (``id``, ``name``) instead of names
        (default ``False``)
    :type all_fields: boolean
    :param limit: the most tags to return (default 25 with ``q``, else all)
    :type limit: int
    :param offset: how many matching tags to skip (default 0)
    :type offset: int
    :param return_objects: accepted for CKAN 1.6 compatibility; ignored
    :type return_objects: boolean

    :rtype: list of strings, or list of dicts
    """
    check_access("tag_list", context, data_dict)
    all_fields = bool_param(data_dict, "all_fields")
    terms = _search_terms(data_dict, "q")
    if not terms and not all_fields:
        offset, limit = int_param(data_dict, "offset", 0), int_param(data_dict, "limit", None)
        names = read_cache.cached(read_cache.key_of("tag_list"), _in_use_tag_names)
        return names[offset:offset + limit] if limit is not None else names[offset:]
    tags = _page(_tag_matches(terms), data_dict, default_limit=25 if terms else None)
    if all_fields:
        return [tag_dictize(tag) for tag in tags]
    return list(tags.values_list("name", flat=True))


def _find_tag_or_404(context, data_dict):
    ref = get_or_bust(data_dict, "id")
    tag = Tag.objects.filter(Q(id=ref) | Q(name=ref)).first() if isinstance(ref, str) else None
    if tag is None:
        raise NotFound("Tag was not found")
    context["tag"] = tag
    return tag


def tag_show(context, data_dict):
    """Return a tag and the datasets that carry it.

    :param id: the id or name of the tag
    :type id: string

    :rtype: dictionary with ``id``, ``name`` and ``packages`` (dataset dicts)
    """
    tag = _find_tag_or_404(context, data_dict)
    check_access("tag_show", context, data_dict)
    return tag_show_dictize(tag, context)


def tag_show_rest(context, data_dict):
    """Return the datasets carrying a tag, in the Model API format: names (v1) or ids (v2).

    :param id: the id or name of the tag
    :type id: string

    :rtype: list of strings
    """
    tag = _find_tag_or_404(context, data_dict)
    check_access("tag_show_rest", context, data_dict)
    return tag_to_rest(tag, context)


def tag_search(context, data_dict):
    """Return the tags in use whose names contain every given term, any case.

    :param query: a term, or a list of terms (``q`` is accepted too)
    :type query: string or list of strings
    :param fields: more terms, as ``{"tags": term}`` (CKAN 1.6's field filter)
    :type fields: dictionary
    :param limit: the most tags to return (optional)
    :type limit: int
    :param offset: how many matching tags to skip (default 0)
    :type offset: int

    :rtype: dictionary with ``count`` (all matches) and ``results`` (tag dicts)
    """
    check_access("tag_search", context, data_dict)
    terms = _search_terms(data_dict, "query", "q")
    fields = data_dict.get("fields") or {}
    if not isinstance(fields, dict):
        raise ValidationError({"fields": ["Must be an object of field to term"]})
    terms += _search_terms(fields, "tag", "tags")
    if not terms:
        return {"count": 0, "results": []}
    tags = _tag_matches(terms)
    return {"count": tags.count(), "results": [tag_dictize(tag) for tag in _page(tags, data_dict)]}


def tag_autocomplete(context, data_dict):
    """Return the names of tags in use that contain the given text, any case.

    :param q: the text to look for
    :type q: string
    :param limit: the most names to return (default 10)
    :type limit: int

    :rtype: list of strings
    """
    check_access("tag_autocomplete", context, data_dict)
    terms = _search_terms(data_dict, "q")
    if not terms:
        return []
    limit = int_param(data_dict, "limit", 10)
    return list(_tag_matches(terms).values_list("name", flat=True)[:limit])


# ---------------------------------------------------------------- users

# Database orderings; "edits" is then re-sorted (stably) by the counted edits.
USER_ORDERINGS = {
    "name": ["name"],
    "display_name": [Lower(Coalesce(NullIf("fullname", Value("")), "name")), "name"],
    "edits": ["name"],
    "created": ["created", "name"],
}
USER_ORDERING_ALIASES = {"fullname": "display_name", "number_of_edits": "edits"}


def _user_matches(q, context):
    # Emails are private: matching on them for anyone else would let anonymous
    # callers find out which addresses have accounts (admin@...).
    matches = Q(name__icontains=q) | Q(fullname__icontains=q)
    if is_sysadmin(context.get("user")):
        matches |= Q(email__icontains=q)
    return matches


def user_list(context, data_dict):
    """Return the users (never their API keys, reset keys or emails).

    :param q: only users whose name or full name (and, for sysadmins, email)
        contains this text, any case (optional)
    :type q: string
    :param order_by: ``name`` (the default), ``display_name``, ``edits``
        (most first) or ``created``
    :type order_by: string

    :rtype: list of user dicts
    """
    check_access("user_list", context, data_dict)
    q = search_text_param(data_dict, "q")
    requested = str_param(data_dict, "order_by") or "name"
    order_by = USER_ORDERING_ALIASES.get(requested, requested)
    if order_by not in USER_ORDERINGS:
        raise ParameterError(f'"order_by" value {requested!r} not implemented: use one of {", ".join(USER_ORDERINGS)}')
    users = User.objects.all()
    if q:
        users = users.filter(_user_matches(q, context))
    users = users_with_counts(users.order_by(*USER_ORDERINGS[order_by]))
    if order_by == "edits":
        users.sort(key=lambda user: -user.number_of_edits)
    return [user_dictize(user) for user in users]


def user_show(context, data_dict):
    """Return a user, with their recent revisions and the datasets they administer.

    ``apikey``, ``reset_key`` and ``email`` are shown only to the user
    themself and to sysadmins; ``password_hash`` only to sysadmins asking
    with ``include_password_hash`` (``ckanapi dump users``, for user_create).

    :param id: the id or name of the user
    :type id: string

    :rtype: dictionary
    """
    provided = data_dict.get("user_obj")
    if isinstance(provided, User):
        user_obj = provided
    else:
        user_obj = find_user(get_or_bust(data_dict, "id"))
        if user_obj is None:
            raise NotFound("User was not found")
    context["user_obj"] = user_obj
    check_access("user_show", context, data_dict)

    viewer = context.get("user")
    private = is_sysadmin(viewer) or (getattr(viewer, "is_authenticated", False) and viewer.pk == user_obj.pk)
    user_obj = user_with_counts(user_obj)
    result = user_dictize(user_obj, private=private)
    if is_sysadmin(viewer) and str(data_dict.get("include_password_hash", "")).lower() in ("true", "1", "yes", "on"):
        result["password_hash"] = user_obj.password

    revisions = Revision.objects.filter(author=user_obj.name).prefetch_related("packages", "groups")
    result["activity"] = [revision_summary(revision, ref_by=ref_attr(context)) for revision in revisions[:20]]

    administered = Package.objects.filter(roles__user=user_obj, roles__role="admin").distinct()
    if not private:
        administered = administered.filter(state=STATE_ACTIVE)
    ids = list(administered.order_by("name").values_list("id", flat=True)[:50])
    result["datasets"] = package_dicts(Package.objects.filter(id__in=ids), context)
    return result


def user_autocomplete(context, data_dict):
    """Return users whose name or full name (for sysadmins: or email) contains the given text, any case.

    :param q: the text to look for
    :type q: string
    :param limit: the most users to return (default 20)
    :type limit: int

    :rtype: list of dicts with ``id``, ``name`` and ``fullname``
    """
    check_access("user_autocomplete", context, data_dict)
    q = search_text_param(data_dict, "q")
    if not q:
        return []
    limit = int_param(data_dict, "limit", 20)
    users = User.objects.filter(_user_matches(q, context)).order_by("name")[:limit]
    return [{"id": str(user.id), "name": user.name, "fullname": user.fullname} for user in users]


# ---------------------------------------------------------------- licences, roles, status

def licence_list(context, data_dict):
    """Return the licenses a dataset may use.

    :rtype: list of dicts with ``id``, ``title``, ``url``, ``is_okd_compliant``,
        ``is_osi_compliant``, ``status``, the ``domain_*`` flags, ``family``
        and ``maintainer``
    """
    check_access("licence_list", context, data_dict)
    return licenses.license_list()


def roles_show(context, data_dict):
    """Return the roles held on a dataset or a group.

    :param domain_object: the id or name of a dataset or a group
    :type domain_object: string
    :param user: only the roles of this user (id or name; ``visitor`` and
        ``logged_in`` name the pseudo-users) (optional)
    :type user: string
    :param authorization_group: only the roles of this authorization group
        (optional)
    :type authorization_group: string

    :rtype: dictionary with ``domain_object_type`` (``Package`` or
        ``Group``), ``domain_object_id`` and ``roles`` (dicts with ``role``,
        ``user_id``, ``authorized_group_id``...)
    """
    obj = find_domain_object(get_or_bust(data_dict, "domain_object"))
    context["domain_object"] = obj
    check_access("roles_show", context, data_dict)
    holder = find_user_holder(data_dict["user"]) if data_dict.get("user") else None
    group_holder = None
    if data_dict.get("authorization_group"):
        group_holder = find_authorization_group_holder(data_dict["authorization_group"])
    return roles_show_dict(obj, holder, group_holder)


def status_show(context, data_dict):
    """Return facts about this site: CKAN version emulated, site URL and title.

    :rtype: dictionary with ``ckan_version``, ``site_url``, ``site_title``,
        ``site_description``, ``locale_default``, ``error_emails_to`` and
        ``extensions``
    """
    check_access("status_show", context, data_dict)
    return {
        "ckan_version": CKAN_VERSION,
        "site_url": settings.CKAN_SITE_URL,
        "site_title": getattr(settings, "CKAN_SITE_TITLE", "CKAN"),
        "site_description": getattr(settings, "CKAN_SITE_DESCRIPTION", ""),
        "locale_default": "en",
        "error_emails_to": None,
        "extensions": [],
    }
