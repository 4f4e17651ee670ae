"""Running a parsed search on whichever engine is configured (Solr or Whoosh).

The caller (`searchapi.logic`) has already turned the request into query
trees (`searchapi.query`); here each engine gets its rendering of them and
answers the same `SearchResult`: the total count, the page of stored
documents, and facet counts ordered as Solr orders them (count descending,
then value ascending).
"""
import logging
import os
import threading
import time
from dataclasses import dataclass, field

from haystack import connections

from catalog.logic.errors import SearchError
from ckansite import generation
from searchapi import query as q
from searchapi.backends import CkanSolrSearchBackend
from searchapi.solr_query import to_solr
from searchapi.whoosh_query import to_whoosh, whoosh_filter

log = logging.getLogger(__name__)


@dataclass
class SearchRequest:
    """One search, engine-neutral: query trees, sort keys, page and facets."""

    query: object = q.MATCH_ALL
    filters: list = field(default_factory=list)
    sort: list = field(default_factory=list)  # [(field, descending)]; "score" is relevance
    start: int = 0
    rows: int = 20
    facet_fields: list = field(default_factory=list)
    facet_limit: int = 50  # negative: no limit
    facet_mincount: int = 1
    fields: list = None  # stored fields the caller reads from `docs` (None: all)


@dataclass
class SearchResult:
    """What either engine answers: total count, the page's stored documents, facet counts."""

    count: int
    docs: list
    facets: dict


DEFAULT_SORT = [("score", True), ("metadata_modified", True)]


def search(request, backend=None):
    """Run `request` on the configured engine (or `backend`); SearchError if the engine fails."""
    backend = backend or connections["default"].get_backend()
    try:
        if isinstance(backend, CkanSolrSearchBackend):
            return _solr_search(backend, request)
        return _whoosh_search(backend, request)
    except SearchError:
        raise
    except Exception as exc:
        log.exception("Search engine failure")
        raise SearchError(f"Search engine error: {type(exc).__name__}") from exc


# ---------------------------------------------------------------- Solr

def make_searchable(backend):
    """Soft-commit the updates writes left uncommitted, if the index is behind the catalog.

    The writes advanced the generation after sending their updates, so a commit
    that starts after reading it covers them all (ckansite.generation)."""
    if not backend.defers_commits:
        return  # each update committed before its write returned
    state = generation.read()
    if state.searchable < state.current:
        # Searches that found it behind together queue for the host's commit lock: each
        # looks again once the lock is its own, and one commit serves them all.
        backend.make_searchable(
            covered=lambda: generation.searchable_now() >= state.current,
            committed=lambda: generation.mark_searchable(state.current),
        )


def _solr_search(backend, request):
    params = {
        "defType": "lucene",
        "q.op": "OR",
        "df": "text",
        "fl": ",".join(request.fields) if request.fields else "*",
        "start": request.start,
        "rows": request.rows,
        "sort": ", ".join(f"{name} {'desc' if desc else 'asc'}" for name, desc in (request.sort or DEFAULT_SORT)),
        "wt": "json",
    }
    query = to_solr(request.query, params)  # free text adds its dismax parameters
    if request.filters:
        params["fq"] = [to_solr(node, params) for node in request.filters]
    if request.facet_fields:
        params.update({
            "facet": "true",
            "facet.field": list(request.facet_fields),
            "facet.limit": request.facet_limit,
            "facet.mincount": request.facet_mincount,
            "facet.sort": "count",
        })
    make_searchable(backend)
    results = backend.conn.search(query, **params)
    facets = {}
    for name, flat in (results.facets or {}).get("facet_fields", {}).items():
        facets[name] = list(zip(flat[::2], flat[1::2]))
    return SearchResult(count=results.hits, docs=list(results.docs), facets=facets)


# ---------------------------------------------------------------- Whoosh

_local = threading.local()


def _index_state(backend):
    """Identifies the index's latest commit, also across a rebuild (which restarts generations)."""
    ix = backend.index
    generation = ix.latest_generation()
    toc = os.stat(os.path.join(backend.path, f"_{ix.indexname}_{generation}.toc"))
    return generation, toc.st_ino, toc.st_mtime_ns


def _searcher(backend):
    """This thread's searcher on the latest committed state of the index.

    With it lives a cache of per-document field values (for sorting and
    facets), valid as long as the searcher is. Another process's commit can
    replace the newest TOC file between finding and opening it: try again.
    """
    for attempt in range(20):
        try:
            return _open_searcher(backend)
        except FileNotFoundError:
            if attempt == 19:
                raise
            time.sleep(0.01)


def _open_searcher(backend):
    if not backend.setup_complete:
        backend.setup()
    state = _index_state(backend)
    current = getattr(_local, "searcher", None)
    if current is not None and getattr(_local, "state", None) == (backend.path, state):
        return current
    if current is not None:
        # Forgotten before it is closed: if opening the new one fails (another process's
        # commit replaced a file meanwhile), the retry must not find it, closed, still kept.
        _local.searcher = _local.state = None
        current.close()
    backend.index = backend.storage.open_index(schema=backend.schema)
    _local.searcher = backend.index.searcher()
    _local.state = (backend.path, state)
    _local.values = {}
    return _local.searcher


def _field_values(searcher, name):
    """{docnum: [values]} of an exact field, read once from its postings per searcher."""
    cache = _local.values
    if name not in cache:
        reader = searcher.reader()
        values = {}
        if name in reader.indexed_field_names():
            for term in reader.field_terms(name):
                for docnum in reader.postings(name, term).all_ids():
                    values.setdefault(docnum, []).append(term)
        cache[name] = values
    return cache[name]


def _ordered(searcher, hits, sort):
    """Matched docnums in `sort` order, missing values last, as Solr sorts (sortMissingLast)."""
    scores = dict((docnum, score) for score, docnum in hits) if hits and isinstance(hits[0], tuple) else {}
    order = [docnum for _, docnum in hits] if scores else sorted(hits)
    for name, descending in reversed(sort):
        if name == "score":
            order.sort(key=lambda d: scores.get(d, 0.0), reverse=descending)
            continue
        values = _field_values(searcher, name)

        def key(docnum, values=values, descending=descending):
            value = values.get(docnum)
            present = value is not None
            text = min(value) if present else ""
            return (present, text) if descending else (not present, text)

        order.sort(key=key, reverse=descending)
    return order


def _term_docs(searcher, name):
    """{value: frozenset(docnums)} of an exact field, read once from its postings per searcher."""
    cache = _local.values
    key = ("docs", name)
    if key not in cache:
        reader = searcher.reader()
        docs = {}
        if name in reader.indexed_field_names():
            for term in reader.field_terms(name):
                docs[term] = frozenset(reader.postings(name, term).all_ids())
        cache[key] = docs
    return cache[key]


def _whoosh_facets(searcher, matched, request):
    """Facet counts: per value, the size of its documents' intersection with the matches (C set code)."""
    matched = frozenset(matched)
    facets = {}
    for name in request.facet_fields:
        pairs = []
        for value, docs in _term_docs(searcher, name).items():
            count = len(docs & matched)
            if count >= request.facet_mincount and count > 0:
                pairs.append((value, count))
        pairs.sort(key=lambda item: (-item[1], item[0].encode("utf-8")))
        facets[name] = pairs[: request.facet_limit] if request.facet_limit >= 0 else pairs
    return facets


def _whoosh_search(backend, request):
    from whoosh import query as wq

    searcher = _searcher(backend)
    # Filters only filter, as Solr's fq: they add nothing to a document's score.
    parts = [to_whoosh(request.query)] + [whoosh_filter(node) for node in request.filters]
    whoosh_query = parts[0] if len(parts) == 1 else wq.And(parts)
    sort = request.sort or DEFAULT_SORT
    matched = list(whoosh_query.docs(searcher))
    if isinstance(request.query, q.MatchAll):
        sort = [key for key in sort if key[0] != "score"]  # every document scores the same
    if sort and sort[0][0] == "score":
        # Relevance first: score only the top of the list (Whoosh skips what cannot
        # reach it), then break ties there by the remaining keys.
        limit = request.start + request.rows
        top = searcher.search(whoosh_query, limit=limit).top_n if limit > 0 else []
        page = _ordered(searcher, top, sort)[request.start:limit]
    else:
        page = _ordered(searcher, matched, sort)[request.start:request.start + request.rows]
    page = page if request.rows > 0 else []
    docs = [searcher.stored_fields(docnum) for docnum in page]
    if request.fields:
        docs = [{name: doc[name] for name in request.fields if name in doc} for doc in docs]
    facets = _whoosh_facets(searcher, matched, request) if request.facet_fields else {}
    return SearchResult(count=len(matched), docs=docs, facets=facets)
