"""The dataset index: one document per active dataset, built from package_show's own dict.

The document holds the full text (`text`, rendered from
templates/search/indexes/catalog/package_text.txt), the exact and analysed
fields of `searchapi.fields`, one `extras_<key>` field per extra, and the
dataset dict itself as JSON (`data_dict`, as CKAN keeps it, for tools that
read the index directly). package_search reads only the `id`s of its results
and takes their dicts from the database's stored copies (one query), the very
text package_show answers.
"""
import json
import re

from django.template.loader import render_to_string
from haystack import indexes
from haystack.constants import DJANGO_CT, DJANGO_ID, ID

from catalog.models import STATE_ACTIVE, Package
from searchapi import fields as index_fields

EXTRA_KEY = re.compile(r"^[A-Za-z0-9_][\w.\-]*$")
# Lucene refuses a document holding a term over 32,766 UTF-8 bytes: an exact value
# (a field of kind string or strings, one term each) is cut to this many bytes.
MAX_EXACT_BYTES = 32_000
INDEX_ID_PREFIX = "catalog.package."


def index_id(package_id):
    """The index's document id of a dataset (Haystack's app.model.pk)."""
    return INDEX_ID_PREFIX + str(package_id)


def _values(items, key):
    return [item[key] for item in items if item.get(key)]


def _cut(value):
    """An exact value as the index can hold it: at most MAX_EXACT_BYTES, whole characters."""
    if len(value) <= MAX_EXACT_BYTES // 4:
        return value
    return value.encode("utf-8")[:MAX_EXACT_BYTES].decode("utf-8", "ignore")


def document_for(package_dict):
    """The index document of a dataset, from its package_show dict."""
    d = package_dict
    resources = d.get("resources") or []
    doc = {
        ID: index_id(d["id"]),
        DJANGO_CT: "catalog.package",
        DJANGO_ID: d["id"],
        index_fields.DOCUMENT_FIELD: render_to_string("search/indexes/catalog/package_text.txt", {"package": d}),
        "id": d["id"],
        "name": d["name"],
        "title_string": d.get("title") or "",
        "tags": _values(d.get("tags") or [], "name"),
        "groups": _values(d.get("groups") or [], "name"),
        "res_name": _values(resources, "name"),
        "res_format": _values(resources, "format"),
        "res_url": _values(resources, "url"),
        "res_description": _values(resources, "description"),
        "metadata_created": index_fields.format_date(d.get("metadata_created")),
        "metadata_modified": index_fields.format_date(d.get("metadata_modified")),
        "capacity": "public",
        "dataset_type": d.get("type") or "dataset",
        "data_dict": json.dumps(d, ensure_ascii=False, separators=(",", ":")),  # compact: results pass it through
    }
    for name in ("title", "notes", "url", "version", "author", "author_email", "maintainer",
                 "maintainer_email", "license_id", "state", "type"):
        doc[name] = d.get(name) or ""
    for extra in d.get("extras") or []:
        if EXTRA_KEY.match(extra.get("key") or "") and extra.get("value") not in (None, ""):
            doc[index_fields.EXTRAS_PREFIX + extra["key"]] = str(extra["value"])
    for name, kind in index_fields.FIELDS.items():
        value = doc.get(name)
        if kind == "string" and isinstance(value, str):
            doc[name] = _cut(value)
        elif kind == "strings" and value:
            doc[name] = [_cut(item) if isinstance(item, str) else item for item in value]
    return {key: value for key, value in doc.items() if value not in ("", [], None) or key == ID}


class PackageIndex(indexes.SearchIndex, indexes.Indexable):
    """Active datasets. Haystack's update_index/rebuild_index walk `index_queryset`."""

    text = indexes.CharField(document=True)

    def get_model(self):
        return Package

    def get_updated_field(self):
        return "metadata_modified"

    def index_queryset(self, using=None):
        from catalog.logic.dictization import package_queryset

        return package_queryset().filter(state=STATE_ACTIVE)

    def prepare(self, obj):
        """The document of a dataset: `obj` is its package_show dict (what a write built
        and stored), or a Package from `index_queryset` (Haystack's update_index)."""
        if isinstance(obj, dict):
            package_dict = obj
        else:
            from catalog.logic.dictization import package_dictize

            package_dict = package_dictize(obj, {})
        self.prepared_data = document_for(package_dict)
        return self.prepared_data

    def full_prepare(self, obj):
        return self.prepare(obj)
