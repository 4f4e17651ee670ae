"""Search parameters as clients send them → `engine.SearchRequest`.

Three spellings reach the same engine request:

- the `package_search` action: CKAN 1.6's Solr parameters (q, fq, rows,
  start, sort, facet, facet.field, facet.limit, facet.mincount) and the
  older ones (fields, facet_by, limit, offset);
- Search API v1/v2: q, a field parameter per field (title=, tags= repeated,
  any extra key), order_by, offset, limit, all_fields;
- Search API v3: Solr's q, fq, fl, sort, start, rows.

Every malformed value is a SearchQueryError (a 400), never an exception.
"""
import re

from django.conf import settings

from actionapi.requests import BodyError
from actionapi.requests import loads as json_loads
from catalog.logic.errors import SearchQueryError
from searchapi import fields as index_fields
from searchapi import query as q
from searchapi import weights as weighting
from searchapi.engine import SearchRequest



def max_rows():
    """The most rows one search answers (setting CKAN_SEARCH_ROWS_MAX, default 1000); more are capped to it."""
    return getattr(settings, "CKAN_SEARCH_ROWS_MAX", 1000)

DEFAULT_ROWS = 20
DEFAULT_FACET_LIMIT = 50

# Search API v1/v2 options that are not field filters.
V1_OPTIONS = {"q", "order_by", "offset", "limit", "all_fields", "search_tags", "return_objects", "qjson"}
V1_DROPPED = {"filter_by_openness", "filter_by_downloadable"}
SORT_ALIASES = {"title": "title_string", "rank": "score", "relevance": "score"}


# The largest number an engine takes (Solr's ints are 32-bit): a larger start,
# facet.limit or facet.mincount is refused, not passed on.
LARGEST = 2**31 - 1


def as_int(value, name, default, minimum=0, maximum=None):
    """`value` as an int of at least `minimum`: capped at `maximum` if given (rows, as
    CKAN caps it), otherwise refused above LARGEST."""
    if value in (None, ""):
        return default
    if isinstance(value, bool):
        raise SearchQueryError(f"{name} must be an integer")
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise SearchQueryError(f"{name} must be an integer, not {value!r}") from None
    if number < minimum:
        raise SearchQueryError(f"{name} must be at least {minimum}")
    if maximum is not None:
        return min(number, maximum)
    if number > LARGEST:
        raise SearchQueryError(f"{name} must be at most {LARGEST}")
    return number


def as_bool(value, name, default=False):
    if value in (None, ""):
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise SearchQueryError(f"{name} must be a boolean (true/false or 1/0), not {value!r}")


def as_text(value, name):
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        if len(value) != 1:
            raise SearchQueryError(f"{name} must be given once")
        value = value[0]
    if isinstance(value, (dict, list)):
        raise SearchQueryError(f"{name} must be a string")
    return str(value)


def as_list(value, name):
    """A list of names: a list, a JSON list in a string, or one name (or comma-separated names)."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json_loads(text)
            except BodyError as exc:
                raise SearchQueryError(f"{name}: {exc}") from None
            except ValueError:
                raise SearchQueryError(f"{name} is not a valid JSON list") from None
        else:
            value = [part.strip() for part in text.split(",") if part.strip()]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise SearchQueryError(f"{name} must be a list of field names")
    return list(value)


def parse_sort(text):
    """`name asc, metadata_modified desc` → [(field, descending)]."""
    sort = []
    for part in as_text(text, "sort").split(","):
        part = part.strip()
        if not part:
            continue
        bits = part.split()
        if len(bits) > 2 or (len(bits) == 2 and bits[1].lower() not in ("asc", "desc")):
            raise SearchQueryError(f"Invalid sort {part!r}: use '<field> asc' or '<field> desc'")
        name = SORT_ALIASES.get(bits[0], bits[0])
        descending = len(bits) == 2 and bits[1].lower() == "desc"
        if name != "score" and name not in index_fields.SORTABLE:
            raise SearchQueryError(f"Cannot sort on {bits[0]!r}")
        sort.append((name, descending if len(bits) == 2 else name == "score"))
    return sort


def facet_request(fields, limit, mincount):
    names = []
    for name in fields:
        target = index_fields.ALIASES.get(name, name)
        if target not in index_fields.FACETABLE:
            raise SearchQueryError(f"Cannot facet on {name!r}")
        names.append(target)
    return names, as_int(limit, "facet.limit", DEFAULT_FACET_LIMIT, minimum=-1), as_int(
        mincount, "facet.mincount", 1
    )


def _filters_from_fields(fields):
    """`{field: value or [values]}`: every value of every field must match."""
    nodes = []
    for name, values in fields.items():
        if not isinstance(name, str) or not name:
            raise SearchQueryError("Field names must be strings")
        for value in values if isinstance(values, (list, tuple)) else [values]:
            if isinstance(value, (dict, list)):
                raise SearchQueryError(f"Invalid value for field {name!r}")
            if value is None or str(value).strip() == "":
                continue
            node = q.field_value_node(name, value)
            if node is not None:
                nodes.append(node)
    return nodes


def _fq_filters(fq):
    values = fq if isinstance(fq, (list, tuple)) else [fq]
    return [q.parse(as_text(v, "fq")) for v in values if v not in (None, "")]


def parse_q(value, qf=None, mm=None, def_type=None):
    """The query tree of `q`, free text weighted as CKAN weighs it (see searchapi.weights)."""
    weights, def_type = weighting.request_weights(
        as_text(qf, "qf") if qf is not None else None,
        as_text(mm, "mm") if mm is not None else None,
        as_text(def_type, "defType") if def_type is not None else None,
    )
    return q.parse(as_text(value, "q"), weights=weights, def_type=def_type)


def package_search_request(data_dict):
    """The engine request for the package_search action's parameters."""
    if not isinstance(data_dict, dict):
        raise SearchQueryError("Search parameters must be an object")
    fields = data_dict.get("fields") or {}
    if not isinstance(fields, dict):
        raise SearchQueryError("fields must be an object of field names to values")
    rows_key = "rows" if data_dict.get("rows") not in (None, "") else "limit"
    start_key = "start" if data_dict.get("start") not in (None, "") else "offset"
    facet_on = as_bool(data_dict.get("facet"), "facet", default=True)
    facet_fields = data_dict.get("facet.field")
    if facet_fields in (None, ""):
        facet_fields = data_dict.get("facet_by")
    names, limit, mincount = facet_request(
        as_list(facet_fields, "facet.field") if facet_on else [],
        data_dict.get("facet.limit"),
        data_dict.get("facet.mincount"),
    )
    sort = data_dict.get("sort")
    if sort in (None, "") and data_dict.get("order_by"):
        sort = f"{as_text(data_dict['order_by'], 'order_by')} asc"
    return SearchRequest(
        query=parse_q(data_dict.get("q"), data_dict.get("qf"), data_dict.get("mm"), data_dict.get("defType")),
        filters=_fq_filters(data_dict.get("fq")) + _filters_from_fields(fields),
        sort=parse_sort(sort) if sort not in (None, "") else [],
        start=as_int(data_dict.get(start_key), start_key, 0),
        rows=as_int(data_dict.get(rows_key), rows_key, DEFAULT_ROWS, maximum=max_rows()),
        facet_fields=names,
        facet_limit=limit,
        facet_mincount=mincount,
    )


def v1_params(params):
    """Search API v1/v2 parameters (after qjson) → (SearchRequest, all_fields)."""
    for name in V1_DROPPED:
        if name in params:
            raise SearchQueryError(f"The {name} option is no longer supported")
    field_params = {k: v for k, v in params.items() if k not in V1_OPTIONS}
    order_by = as_text(params.get("order_by"), "order_by").strip()
    request = SearchRequest(
        query=parse_q(params.get("q")),
        filters=_filters_from_fields(field_params),
        sort=parse_sort(f"{order_by} {'desc' if SORT_ALIASES.get(order_by) == 'score' else 'asc'}") if order_by else [],
        start=as_int(params.get("offset"), "offset", 0),
        rows=as_int(params.get("limit"), "limit", DEFAULT_ROWS, maximum=max_rows()),
    )
    return request, as_bool(params.get("all_fields"), "all_fields")


def v3_params(params):
    """Search API v3 (Solr syntax) parameters → (SearchRequest, fl list or None, all_fields)."""
    rows = params.get("rows", params.get("limit"))
    start = params.get("start", params.get("offset"))
    sort = params.get("sort")
    request = SearchRequest(
        query=parse_q(params.get("q"), params.get("qf"), params.get("mm"), params.get("defType")),
        filters=_fq_filters(params.get("fq")),
        sort=parse_sort(sort) if sort not in (None, "") else [],
        start=as_int(start, "start", 0),
        rows=as_int(rows, "rows", DEFAULT_ROWS, maximum=max_rows()),
    )
    fl = [f for f in re.split(r"[\s,]+", as_text(params.get("fl"), "fl")) if f]
    return request, fl or ["name"], as_bool(params.get("all_fields"), "all_fields")
