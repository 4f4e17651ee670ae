"""Resource search, from the database: substring matches on resource columns.

Resources are few per dataset and their search is by URL, format, description
or hash: case-insensitive substrings (a hash by prefix) of active resources of
active datasets, which the database answers directly.
"""
from django.db.models import Q

from catalog.logic.errors import SearchQueryError
from catalog.models import STATE_ACTIVE, Resource
from searchapi import params

# Resource columns resource_search can match (as case-insensitive substrings;
# `hash` as a prefix).
RESOURCE_SEARCH_FIELDS = [
    "url", "format", "description", "hash", "name", "resource_type", "mimetype", "mimetype_inner",
    "cache_url", "webstore_url",
]
RESOURCE_ORDER_FIELDS = set(RESOURCE_SEARCH_FIELDS) | {"id", "position", "size", "last_modified", "created"}


def resource_page(data_dict):
    """(page of Resource objects, total count) for resource_search's parameters."""
    fields = data_dict.get("fields") or {}
    if not isinstance(fields, dict):
        raise SearchQueryError("fields must be an object of field names to values")
    queryset = Resource.objects.filter(state=STATE_ACTIVE, package__state=STATE_ACTIVE)
    for name, values in fields.items():
        if name not in RESOURCE_SEARCH_FIELDS:
            raise SearchQueryError(f'Field "{name}" not recognised in Resource search.')
        for value in values if isinstance(values, (list, tuple)) else [values]:
            if isinstance(value, (dict, list)):
                raise SearchQueryError(f"Invalid value for field {name!r}")
            if value is None or str(value) == "":
                continue
            lookup = "istartswith" if name == "hash" else "icontains"
            queryset = queryset.filter(Q(**{f"{name}__{lookup}": str(value)}))
    order_by = data_dict.get("order_by")
    if order_by not in (None, ""):
        if not isinstance(order_by, str) or order_by not in RESOURCE_ORDER_FIELDS:
            raise SearchQueryError(f"Cannot order resources by {order_by!r}")
        queryset = queryset.order_by(order_by, "id")
    else:
        queryset = queryset.order_by("package_id", "position", "id")
    offset = params.as_int(data_dict.get("offset"), "offset", 0)
    limit = params.as_int(data_dict.get("limit"), "limit", params.DEFAULT_ROWS, maximum=params.max_rows())
    count = queryset.count()
    page = list(queryset.select_related("package")[offset:offset + limit]) if limit else []
    return page, count
