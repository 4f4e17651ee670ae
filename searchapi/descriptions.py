"""What the search actions take and return, for the API description (catalog.logic.descriptions).

The parameter names and defaults are those `searchapi.params` reads; the
results are the package_show dicts the index stores, and resource dicts.
"""
from catalog.logic.descriptions import INTEGER, ref
from searchapi import params

_QUERY = {"type": "string", "description": "Solr syntax: words, \"phrases\", field:value, AND/OR/NOT, ranges"}
_TEXT_OR_LIST = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
_FIELDS = {"type": "object", "additionalProperties": _TEXT_OR_LIST,
           "description": "{field: value}; a list value means every value must match"}

REQUESTS = {
    "package_search": {
        "type": "object",
        "properties": {
            "q": _QUERY,
            "fq": {"anyOf": [_QUERY, {"type": "array", "items": _QUERY}]},
            "qf": {"type": "string", "description": "free-text fields and weights, e.g. name^4 title^4 text"},
            "mm": {"type": "string", "description": "Solr's minimum-should-match, e.g. 2<-1 5<80%"},
            "defType": {"type": "string", "enum": ["dismax", "edismax", "lucene"]},
            "fields": _FIELDS,
            "rows": {**INTEGER, "description": f"default {params.DEFAULT_ROWS}, capped at CKAN_SEARCH_ROWS_MAX"},
            "start": INTEGER,
            "limit": INTEGER,
            "offset": INTEGER,
            "sort": {"type": "string", "description": "e.g. name asc, metadata_modified desc"},
            "order_by": {"type": "string"},
            "facet": {"type": "boolean"},
            "facet.field": {"type": "array", "items": {"type": "string"}},
            "facet_by": {"type": "array", "items": {"type": "string"}},
            "facet.limit": {"type": "integer", "minimum": -1, "maximum": 2**31 - 1,
                            "description": f"default {params.DEFAULT_FACET_LIMIT}, -1 for all"},
            "facet.mincount": INTEGER,
        },
    },
    "resource_search": {
        "type": "object",
        "properties": {"fields": _FIELDS, "order_by": {"type": "string"}, "offset": INTEGER, "limit": INTEGER},
    },
}

RESULTS = {
    "package_search": {
        "type": "object",
        "properties": {
            "count": {"type": "integer"},
            "results": {"type": "array", "items": ref("Package")},
            "facets": {"type": "object", "additionalProperties": {
                "type": "object", "additionalProperties": {"type": "integer"}}},
        },
        "required": ["count", "results", "facets"],
    },
    "resource_search": {
        "type": "object",
        "properties": {"count": {"type": "integer"}, "results": {"type": "array", "items": ref("Resource")}},
        "required": ["count", "results"],
    },
}
