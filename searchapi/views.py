"""The Search API: /api[/1|/2|/3]/search/<register> and /api[/2]/tag_counts.

GET parameters or a POST body (form fields, `<json>=1`, or raw JSON under
either content type); `qjson` carries the whole parameter set as JSON.
v1 answers dataset names, v2 ids, v3 speaks Solr syntax. Errors are mapped
by actionapi.errors; the body of an error is its message as a JSON string.
"""
from datetime import datetime, time, timezone

from django.db.models import Count
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from actionapi.errors import status_for
from actionapi.requests import BodyError, parse_json_body, querydict_to_dict
from actionapi.requests import loads as json_loads
from actionapi.views import api_context
from catalog.logic import check_access, errors
from catalog.models import STATE_ACTIVE, PackageTag, Revision
from searchapi import engine, params
from searchapi.resources import RESOURCE_SEARCH_FIELDS, resource_page

# Stored index fields that are the index's own business, not the dataset's.
INTERNAL_FIELDS = {
    "index_id", "django_ct", "django_id", "data_dict", "_version_", "score", "text", "title_string", "capacity",
    "dataset_type",
}
RESOURCE_OPTIONS = {"offset", "limit", "order_by", "all_fields", "q", "qjson", "search_tags", "return_objects"}


def _json(data, status=200):
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _error(message, status):
    return _json(message, status=status)


def _request_params(request):
    """The search parameters of a GET or POST, after `qjson`."""
    if request.method == "POST":
        try:
            data = parse_json_body(request, allow_empty=True)
        except BodyError as exc:
            data = querydict_to_dict(request.POST) if request.POST else None
            if data is None:
                raise errors.SearchQueryError(f"Could not read the request body as search parameters: {exc}") from None
        data = data or {}
        if not isinstance(data, dict):
            raise errors.SearchQueryError("Search parameters must be a JSON object")
    else:
        data = querydict_to_dict(request.GET)
    if "qjson" in data:
        qjson = data.pop("qjson")
        try:
            decoded = json_loads(qjson) if isinstance(qjson, str) else qjson
        except BodyError as exc:
            raise errors.SearchQueryError(f"qjson: {exc}") from None
        except ValueError as exc:
            raise errors.SearchQueryError(f"qjson is not valid JSON: {exc}") from None
        if not isinstance(decoded, dict):
            raise errors.SearchQueryError("qjson must be a JSON object")
        data.update(decoded)
    return data


def _api(view):
    """Parse, run and map errors the same way for every Search API view."""

    @csrf_exempt
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "POST"):
            response = _error("Method not allowed: use GET or POST", 405)
            response["Allow"] = "GET, POST"
            return response
        context = api_context(request, api_version=kwargs.pop("version", 1))
        try:
            return _json(view(request, context, *args, **kwargs))
        except errors.ActionError as exc:
            return _error(exc.message or exc.error_type, status_for(exc))

    return wrapped


def _record(doc):
    return {key: value for key, value in doc.items() if key not in INTERNAL_FIELDS}


def _rest_records(context, docs):
    from catalog.logic.dictization import package_queryset, package_to_rest

    ids = [doc["id"] for doc in docs]
    packages = {p.id: p for p in package_queryset().filter(id__in=ids)}
    return [package_to_rest(packages[i], context) for i in ids if i in packages]


@_api
def dataset_search(request, context):
    check_access("package_search", context, {})
    data = _request_params(request)
    if context["api_version"] == 3:
        search, fl, all_fields = params.v3_params(data)
        result = engine.search(search)
        if all_fields or "*" in fl:
            results = [_record(doc) for doc in result.docs]
        elif len(fl) == 1 and fl[0] in ("id", "name"):
            results = [doc.get(fl[0]) for doc in result.docs]
        else:
            results = [{name: doc.get(name) for name in fl} for doc in result.docs]
        return {"count": result.count, "results": results}
    search, all_fields = params.v1_params(data)
    result = engine.search(search)
    if all_fields:
        results = _rest_records(context, result.docs)
    else:
        key = "id" if context["api_version"] == 2 else "name"
        results = [doc.get(key) for doc in result.docs]
    return {"count": result.count, "results": results}


@_api
def resource_search(request, context):
    check_access("resource_search", context, {})
    data = _request_params(request)
    fields = {}
    for name, value in data.items():
        if name in RESOURCE_OPTIONS:
            continue
        if name not in RESOURCE_SEARCH_FIELDS:
            raise errors.SearchQueryError(f'Field "{name}" not recognised in Resource search.')
        fields[name] = value
    all_fields = params.as_bool(data.get("all_fields"), "all_fields")
    page, count = resource_page({
        "fields": fields,
        "order_by": data.get("order_by"),
        "offset": data.get("offset"),
        "limit": data.get("limit"),
    })
    if all_fields:
        from catalog.logic.dictization import resource_dictize

        results = [resource_dictize(resource) for resource in page]
    else:
        results = [resource.id for resource in page]
    return {"count": count, "results": results}


def _parse_since_time(value):
    text = params.as_text(value, "since_time").strip()
    try:
        if len(text) == 10:
            moment = datetime.combine(datetime.strptime(text, "%Y-%m-%d").date(), time.min)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise errors.SearchQueryError(f"Invalid since_time {text!r}: use an ISO 8601 date or timestamp") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment


@_api
def revision_search(request, context):
    check_access("site_read", context, {})
    data = _request_params(request)
    if "since_id" in data:
        since_id = params.as_text(data["since_id"], "since_id").strip()
        if not since_id:
            raise errors.SearchQueryError("since_id must not be empty")
        since = Revision.objects.filter(id=since_id).values_list("timestamp", flat=True).first()
        if since is None:
            raise errors.NotFound(f"Revision not found: {since_id}")
        revisions = Revision.objects.filter(timestamp__gt=since)
    elif "since_time" in data:
        revisions = Revision.objects.filter(timestamp__gt=_parse_since_time(data["since_time"]))
    else:
        raise errors.SearchQueryError("Missing search term ('since_id=UUID' or 'since_time=TIMESTAMP')")
    return list(
        revisions.filter(state=STATE_ACTIVE).order_by("-timestamp", "-id").values_list("id", flat=True)
    )


@_api
def tag_counts(request, context):
    """[[tag, number of active datasets carrying it], ...] by tag name. It takes no
    parameter, but its body is read as every Search API body is: one it cannot read
    (a lone surrogate, NaN) is refused, not silently accepted."""
    check_access("site_read", context, {})
    _request_params(request)
    rows = (
        PackageTag.objects.filter(state=STATE_ACTIVE, package__state=STATE_ACTIVE)
        .values("tag__name")
        .annotate(count=Count("id"))
        .order_by("tag__name")
    )
    return [[row["tag__name"], row["count"]] for row in rows]
