"""Haystack engines for ckansite: Haystack's own, with our schema and our write rules.

- Whoosh gets the schema of `searchapi.fields` (the same fields and the same
  analysis as solr/conf/schema.xml), and its writes wait for the index's
  single-writer lock with a bounded backoff instead of failing (or blocking
  forever), so several gunicorn workers never lose an update.
- Solr updates carry `softCommit=true`: a search issued after the write
  returns sees it (read-after-write) without a hard commit per dataset.

Errors are never swallowed here (the connection has SILENTLY_FAIL off):
`searchapi.indexing` records failed datasets for re-indexing.
"""
import random
import time

from haystack.backends.solr_backend import SolrEngine, SolrSearchBackend
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier
from whoosh.fields import ID as WHOOSH_ID
from whoosh.fields import STORED, TEXT, Schema
from whoosh.index import LockError

from searchapi import fields as index_fields
from searchapi.analysis import ExactValuesTokenizer, multi_text_analyzer, text_analyzer

# How long a Whoosh write waits for another process's writer before giving up
# (the dataset is then recorded for re-indexing).
WHOOSH_LOCK_TIMEOUT = 30.0


def whoosh_schema():
    """The Whoosh schema equivalent of solr/conf/schema.xml."""
    schema = Schema()
    schema.add(ID, WHOOSH_ID(stored=True, unique=True))
    schema.add(DJANGO_CT, WHOOSH_ID(stored=True))
    schema.add(DJANGO_ID, WHOOSH_ID(stored=True))
    for name, kind in index_fields.FIELDS.items():
        if name == ID:
            continue
        stored = name != index_fields.DOCUMENT_FIELD
        if kind == "string":
            schema.add(name, WHOOSH_ID(stored=stored, sortable=True))
        elif kind == "strings":
            schema.add(name, TEXT(analyzer=ExactValuesTokenizer(), stored=stored, phrase=False))
        elif kind == "text":
            schema.add(name, TEXT(analyzer=text_analyzer(), stored=stored))
        elif kind == "texts":
            schema.add(name, TEXT(analyzer=multi_text_analyzer(), stored=stored))
        else:
            schema.add(name, STORED())
    schema.add(index_fields.EXTRAS_PREFIX + "*", TEXT(analyzer=text_analyzer(), stored=True), glob=True)
    return schema


def _index_ids(obj_or_string):
    """Haystack ids to remove: from a model instance, a Haystack id, or a bare dataset id.

    Haystack's `update_index --remove` passes the stored `id` field, which in our
    schema is the dataset's UUID, not the document id.
    """
    if isinstance(obj_or_string, str) and "." not in obj_or_string:
        return [f"catalog.package.{obj_or_string}"]
    return [get_identifier(obj_or_string)]


def _with_lock_retry(write):
    """Run `write()` (which opens a Whoosh writer) until it gets the lock, with jittered backoff.

    A FileNotFoundError is retried too: opening the index reads the newest TOC
    generation and then its file, which another process's commit may have
    replaced in between.
    """
    deadline = time.monotonic() + WHOOSH_LOCK_TIMEOUT
    delay = 0.02
    while True:
        try:
            return write()
        except (LockError, FileNotFoundError):
            if time.monotonic() >= deadline:
                raise
            time.sleep(delay + random.uniform(0, delay))
            delay = min(delay * 2, 0.5)


class CkanWhooshSearchBackend(WhooshSearchBackend):
    """Whoosh with our schema; writes retry on the writer lock."""

    def build_schema(self, fields):
        return index_fields.DOCUMENT_FIELD, whoosh_schema()

    def update(self, index, iterable, commit=True):
        if not self.setup_complete:
            self.setup()
        docs = []
        for obj in iterable:
            try:
                docs.append(index.full_prepare(obj))
            except SkipDocument:
                continue
        if docs:
            _with_lock_retry(lambda: self._write(add=docs))

    def remove(self, obj_or_string, commit=True):
        self.remove_ids(_index_ids(obj_or_string))

    def remove_ids(self, index_ids):
        if not self.setup_complete:
            self.setup()
        if index_ids:
            _with_lock_retry(lambda: self._write(delete=index_ids))

    def _write(self, add=(), delete=()):
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        writer = self.index.writer()
        try:
            for index_id in delete:
                writer.delete_by_term(ID, index_id)
            for doc in add:
                writer.update_document(**{k: v for k, v in doc.items() if k != "boost" and v is not None})
        except BaseException:
            writer.cancel()
            raise
        writer.commit()


class CkanWhooshEngine(WhooshEngine):
    backend = CkanWhooshSearchBackend


class CkanSolrSearchBackend(SolrSearchBackend):
    """Solr, each update soft-committed so that the next search sees it."""

    def update(self, index, iterable, commit=True):
        docs = []
        for obj in iterable:
            try:
                docs.append(index.full_prepare(obj))
            except SkipDocument:
                continue
        if docs:
            self.conn.add(docs, commit=False, softCommit=True)

    def remove(self, obj_or_string, commit=True):
        self.remove_ids(_index_ids(obj_or_string))

    def build_search_kwargs(self, *args, **kwargs):
        # Haystack's own queries (update_index --remove) read results by the document id.
        search_kwargs = super().build_search_kwargs(*args, **kwargs)
        if ID not in search_kwargs["fl"].split() and "*" not in search_kwargs["fl"]:
            search_kwargs["fl"] += f" {ID}"
        return search_kwargs

    def remove_ids(self, index_ids):
        if index_ids:
            self.conn.delete(id=list(index_ids), commit=False, softCommit=True)


class CkanSolrEngine(SolrEngine):
    backend = CkanSolrSearchBackend
