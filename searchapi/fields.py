"""The dataset document: every field the index holds, and how each engine treats it.

One table drives the Whoosh schema (`searchapi.backends`), the query
translation (`searchapi.query`: which fields are exact strings and which are
analysed text) and a test that checks `solr/conf/schema.xml` says the same.

Kinds:
- ``string``: one exact value (case-sensitive), sortable;
- ``strings``: several exact values (tags, groups, formats), facetable;
- ``text``: analysed words (lower-cased, ASCII-folded, English Snowball stems);
- ``texts``: several analysed values;
- ``stored``: kept for display only, not searchable.

Dates are stored as fixed-width ISO 8601 strings (``2012-01-31T12:00:00.000000Z``),
which sort and compare like the dates they are on Solr 5.3 through 9 without a
numeric or date field class (Trie types are gone in Solr 9, Point types are
not in Solr 5).
"""

from datetime import datetime, timezone

DOCUMENT_FIELD = "text"
EXTRAS_PREFIX = "extras_"

FIELDS = {
    "text": "text",
    "index_id": "string",
    "id": "string",
    "name": "string",
    "title": "text",
    "title_string": "string",
    "notes": "text",
    "url": "text",
    "version": "string",
    "author": "text",
    "author_email": "string",
    "maintainer": "text",
    "maintainer_email": "string",
    "license_id": "string",
    "state": "string",
    "type": "string",
    # Always "public" / the dataset type: filters CKAN clients send (fq=+capacity:public).
    "capacity": "string",
    "dataset_type": "string",
    "tags": "strings",
    "groups": "strings",
    "res_name": "texts",
    "res_format": "strings",
    "res_url": "strings",
    "res_description": "texts",
    "metadata_created": "string",
    "metadata_modified": "string",
    "data_dict": "stored",
}

# Field names a query may use that are spelled differently in the index.
ALIASES = {
    "tag": "tags",
    "group": "groups",
    "res_formats": "res_format",
}

# Fields the engines sort on, and facet on.
SORTABLE = {name for name, kind in FIELDS.items() if kind == "string"}
FACETABLE = {name for name, kind in FIELDS.items() if kind in ("string", "strings")}
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def kind_of(field):
    """The kind of an index field, or None if there is no such field."""
    if field in FIELDS:
        return FIELDS[field]
    if field.startswith(EXTRAS_PREFIX) and len(field) > len(EXTRAS_PREFIX):
        return "text"
    return None


def index_field(name):
    """The index field a query's field name means (extras by their own key)."""
    name = ALIASES.get(name, name)
    if name in FIELDS or name.startswith(EXTRAS_PREFIX):
        return name
    return EXTRAS_PREFIX + name


def format_date(value):
    """A datetime (or CKAN's naive-UTC ISO string) as the index's sortable string."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime(DATE_FORMAT)
