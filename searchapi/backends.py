"""Haystack engines for ckansite: Haystack's own, with our schema and our write rules.

- Whoosh gets the schema of `searchapi.fields` (the same fields and the same
  analysis as solr/conf/schema.xml). Its writes are group-committed across
  processes: each write spools its documents to a file in the index's
  `_spool` directory, and whichever writer holds the index's single-writer
  lock applies EVERY spooled write in one Whoosh commit (a commit, with its
  segment flush and merge, costs far more than a document). A writer returns
  once its own file is gone, i.e. committed, by itself or by another process:
  search stays read-after-write for the writer, and no update is lost.
- Solr updates are made searchable by a soft commit, group-committed across
  the processes and threads of this host: a soft commit that starts after an
  update returned makes that update visible too, so a caller that finds one
  was made skips its own (a soft commit, which opens a new searcher, costs
  Solr several times the CPU of an update). Where the database keeps the
  generations (PostgreSQL, ckansite.generation), searchapi.indexing sends
  updates with commit=False and the first search after them commits
  (searchapi.engine); elsewhere each update commits before it returns. Either
  way a search issued after a write returned sees it.

Errors are never swallowed here (the connection has SILENTLY_FAIL off):
`searchapi.indexing` records failed datasets for re-indexing.
"""
import fcntl
import hashlib
import json
import os
import tempfile
import time
import uuid

import orjson
from django.db import DEFAULT_DB_ALIAS
from django.db import connections as databases
from haystack.backends.solr_backend import SolrEngine, SolrSearchBackend
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier
from whoosh.fields import ID as WHOOSH_ID
from whoosh.fields import STORED, TEXT, Schema
from whoosh.index import LockError

from ckansite import generation
from searchapi import fields as index_fields
from searchapi.analysis import ExactValuesTokenizer, multi_text_analyzer, text_analyzer
from searchapi.solr_nodes import FailoverSolr, node_urls

# How long a Whoosh write waits for its documents to be committed before giving
# up (the dataset is then recorded for re-indexing).
WHOOSH_LOCK_TIMEOUT = 30.0
# How often a waiting writer looks whether its write was committed or the lock is free.
WHOOSH_POLL = 0.005
SPOOL_DIR = "_spool"
# Segment merging on commit (see `bounded_merge`).
MERGE_FACTOR = 10
MERGE_MAX_DOCS = 500


def bounded_merge(writer, segments):
    """Whoosh merge policy: merge MERGE_FACTOR segments of like size, never into a big one.

    Segments are grouped in tiers by live documents (powers of MERGE_FACTOR:
    1-9, 10-99, 100-999...); when a tier holds MERGE_FACTOR segments they are
    merged into one of the next tier, unless that one would hold more than
    MERGE_MAX_DOCS documents. So no single write pays for rewriting a large
    part of the index (Whoosh's default policy does, and its commits took
    seconds on 1000 datasets), while the segments stay few enough for fast
    searches: under 2 * (MERGE_FACTOR - 1) small ones plus N / 100 of about
    100. `rebuild_index` writes the whole index as one segment again.
    """
    from whoosh.reading import SegmentReader

    tiers = {}
    for segment in segments:
        live = segment.doc_count()
        tier = 0
        while live >= MERGE_FACTOR ** (tier + 1):
            tier += 1
        tiers.setdefault(tier, []).append(segment)
    for tier in sorted(tiers):
        group = tiers[tier]
        if len(group) >= MERGE_FACTOR and sum(segment.doc_count() for segment in group) <= MERGE_MAX_DOCS:
            merged = {id(segment) for segment in group}
            for segment in group:
                reader = SegmentReader(writer.storage, writer.schema, segment)
                writer.add_reader(reader)
                reader.close()
            return [segment for segment in segments if id(segment) not in merged]
    return segments


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


class CkanWhooshSearchBackend(WhooshSearchBackend):
    """Whoosh with our schema; writes retry on the writer lock."""

    def build_schema(self, fields):
        return index_fields.DOCUMENT_FIELD, whoosh_schema()

    def setup(self):
        """Haystack's setup (open or create the index), retried when another process's
        commit replaces the newest TOC file between finding and opening it."""
        deadline = time.monotonic() + WHOOSH_LOCK_TIMEOUT
        while True:
            try:
                return super().setup()
            except FileNotFoundError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(WHOOSH_POLL)

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
            self._write(add=docs)

    def remove(self, obj_or_string, commit=True):
        self.remove_ids(_index_ids(obj_or_string))

    def remove_ids(self, index_ids, commit=True):
        # Whoosh writes are always committed before they return (commit is Haystack's flag).
        if not self.setup_complete:
            self.setup()
        if index_ids:
            self._write(delete=list(index_ids))

    def _write(self, add=(), delete=()):
        """Spool this write, then wait until it is committed (by us or by another writer)."""
        if not self.setup_complete:
            self.setup()
        mine = self._spool(add, delete)
        deadline = time.monotonic() + WHOOSH_LOCK_TIMEOUT
        try:
            while os.path.exists(mine):
                try:
                    self._commit_spooled(mine)
                except (LockError, FileNotFoundError):
                    # FileNotFoundError: a file of the index was replaced under us by
                    # another process's commit (as seen in CI): try again, as for the lock.
                    if time.monotonic() >= deadline:
                        raise
                    time.sleep(WHOOSH_POLL)
        finally:
            # Failed or timed out: withdraw the write (the caller records it for re-indexing).
            if os.path.exists(mine):
                try:
                    os.remove(mine)
                except FileNotFoundError:
                    pass

    def _spool(self, add, delete):
        directory = os.path.join(self.path, SPOOL_DIR)
        os.makedirs(directory, exist_ok=True)
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex}.json"
        docs = [{k: v for k, v in doc.items() if k != "boost" and v is not None} for doc in add]
        temporary = os.path.join(directory, "." + name)
        with open(temporary, "w", encoding="utf-8") as f:
            json.dump({"add": docs, "delete": list(delete)}, f)
        os.replace(temporary, os.path.join(directory, name))  # appears whole or not at all
        return os.path.join(directory, name)

    def _commit_spooled(self, mine):
        """Take the writer lock (LockError if busy) and commit every spooled write in one go.

        Writes are applied in spool order; for a document written several times
        the last one wins. If the group fails, only `mine` is tried again, alone,
        so a broken write cannot hold back the others (they then commit their own).
        """
        writer = self.index.writer()
        directory = os.path.dirname(mine)
        paths = [os.path.join(directory, n) for n in sorted(os.listdir(directory)) if not n.startswith(".")]
        try:
            self._apply(writer, paths)
        except Exception:
            writer.cancel()
            if paths == [mine]:
                raise
            writer = self.index.writer()  # a LockError here: the caller tries again
            paths = [mine]
            try:
                self._apply(writer, paths)
            except BaseException:
                writer.cancel()
                raise
        except BaseException:
            writer.cancel()
            raise
        try:
            writer.commit(mergetype=bounded_merge)
        except BaseException:
            if not writer.is_closed:
                writer.cancel()
            raise
        for path in paths:
            try:
                os.remove(path)
            except FileNotFoundError:
                pass

    @staticmethod
    def _apply(writer, paths):
        final = {}
        for path in paths:
            try:
                with open(path, encoding="utf-8") as f:
                    spooled = json.load(f)
            except FileNotFoundError:  # withdrawn by its writer meanwhile
                continue
            for index_id in spooled["delete"]:
                final[index_id] = None
            for doc in spooled["add"]:
                final[doc[ID]] = doc
        for index_id, doc in final.items():
            if doc is None:
                writer.delete_by_term(ID, index_id)
            else:
                writer.update_document(**doc)


class CkanWhooshEngine(WhooshEngine):
    backend = CkanWhooshSearchBackend


def _boot_id():
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as f:
            return f.read().strip()
    except OSError:
        return "no-boot-id"


BOOT_ID = _boot_id()


class _OrjsonDecoder:
    """pysolr's decoder, with orjson: a search's response carries each result's stored JSON
    (about 12 kB a dataset), which the standard library decodes three times slower."""

    @staticmethod
    def decode(text):
        return orjson.loads(text)


class CkanSolrSearchBackend(SolrSearchBackend):
    """Solr; updates soft-committed (grouped) before they return, or, with commit=False, by `make_searchable`.

    URL may list several SolrCloud nodes, comma-separated: requests fail over
    between them (searchapi.solr_nodes).
    """

    @property
    def defers_commits(self):
        """Whether searchapi.indexing sends updates with commit=False, for a search to make them
        searchable: where the database keeps the generations (ckansite.generation)."""
        return generation.kept(databases[DEFAULT_DB_ALIAS])

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.node_urls = node_urls(connection_options["URL"])
        self.conn = FailoverSolr(self.node_urls, timeout=self.timeout, **connection_options.get("KWARGS", {}))
        self.conn.decoder = _OrjsonDecoder()

    def update(self, index, iterable, commit=True):
        docs = []
        for obj in iterable:
            try:
                docs.append(index.full_prepare(obj))
            except SkipDocument:
                continue
        if docs:
            self.conn.add(docs, commit=False)
            if commit:
                self.make_searchable()

    def _commit_state_path(self):
        key = hashlib.sha1(",".join(self.node_urls).encode("utf-8")).hexdigest()[:16]
        return os.path.join(tempfile.gettempdir(), f"ckansite-solr-{key}.commit")

    def make_searchable(self, updated_at=None, covered=None, committed=None):
        """Make every update that returned before `updated_at` (monotonic ns; default now) searchable.

        `covered`: a check, made once the lock is ours, that what the caller needs is
        searchable already (made so by a commit elsewhere): then nothing is sent.
        `committed`: called after our commit, still under the lock (to record it
        where the next holder's `covered` looks).

        Under an exclusive lock on a per-core state file holding when the last
        soft commit started: if it started after `updated_at`, it covered our
        update; else we soft-commit and record when ours started. The clock is
        CLOCK_MONOTONIC, shared by the host's processes; the boot id guards
        against a state file left from before a reboot.
        """
        if updated_at is None:
            updated_at = time.monotonic_ns()
        with open(self._commit_state_path(), "a+", encoding="ascii") as state:
            fcntl.flock(state.fileno(), fcntl.LOCK_EX)
            state.seek(0)
            boot, _, last = state.read().partition(" ")
            if boot == BOOT_ID and last.strip().isdigit() and int(last) > updated_at:
                return
            if covered is not None and covered():
                return
            started = time.monotonic_ns()
            # The softCommit attribute only: a softCommit request parameter would
            # make Solr commit a second time at the end of the request.
            self.conn._update('<commit softCommit="true" />', commit=False)
            if committed is not None:
                committed()
            state.seek(0)
            state.truncate()
            state.write(f"{BOOT_ID} {started}")
            state.flush()

    def remove(self, obj_or_string, commit=True):
        self.remove_ids(_index_ids(obj_or_string), commit=commit)

    def build_search_kwargs(self, *args, **kwargs):
        # Haystack's own queries (update_index --remove) read results by the document id.
        search_kwargs = super().build_search_kwargs(*args, **kwargs)
        if ID not in search_kwargs["fl"].split() and "*" not in search_kwargs["fl"]:
            search_kwargs["fl"] += f" {ID}"
        return search_kwargs

    def remove_ids(self, index_ids, commit=True):
        if index_ids:
            self.conn.delete(id=list(index_ids), commit=False)
            if commit:
                self.make_searchable()


class CkanSolrEngine(SolrEngine):
    backend = CkanSolrSearchBackend
