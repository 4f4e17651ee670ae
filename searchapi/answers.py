"""package_search's answer: computed from the engine and the stored copies, kept, and computed again.

The engine finds the ids and the facet counts; the database's stored copies
(catalog.dict_cache, one query) give the results' dicts, the very text
package_show answers (a search engine returning a 12 kB stored field per
result cost it more than the search).

The Action API writes its answer with orjson: each stored dict's JSON text goes
into the answer as it is, neither parsed nor encoded again, and that answer is
kept (catalog.read_cache, shared between processes) under the parameters as
sent, until the next write. After writes pause, the process that wrote computes
again the answers it had kept most recently (`warm`, from searchapi.idle_commit),
so that the clients asking them again find them kept.
"""
import orjson

from catalog import dict_cache, read_cache
from searchapi import engine, params

_ACTION = "package_search"
_KEY_START = read_cache.key_of(_ACTION)[:-1] + b","  # how the key of every kept answer starts


def compute(data_dict, passthrough):
    """The answer to `data_dict`; with `passthrough`, its results are the stored JSON texts (orjson fragments)."""
    request = params.package_search_request(data_dict)
    request.fields = ["id"]
    result = engine.search(request)
    ids = [doc["id"] for doc in result.docs if doc.get("id")]
    stored = dict_cache.texts(ids) if ids else {}
    texts = [stored[pk] for pk in ids if pk in stored]
    return {
        "count": result.count,
        "results": [orjson.Fragment(text) if passthrough else orjson.loads(text) for text in texts],
        "facets": {name: dict(pairs) for name, pairs in result.facets.items()},
    }


def kept(data_dict):
    """The passthrough answer to `data_dict`, kept under the current generation (read-only)."""
    return _kept(read_cache.key_of(_ACTION, data_dict), data_dict)


def _kept(key, data_dict, asked=True):
    return read_cache.cached(key, lambda: compute(data_dict, passthrough=True), shared=True, asked=asked)


def warm(most):
    """Compute again, under the current generation, the `most` answers this process kept most recently.

    Only those a client asked for since they were last computed (read_cache.stale_keys):
    warming an answer no one asks for again stops after once. Their parameters
    are their keys (a kept answer's were valid). Returns how many were computed;
    the first failure (the engine is down) is raised.
    """
    stale = read_cache.stale_keys(_KEY_START, most)
    for key in stale:
        _kept(key, orjson.loads(key)[1], asked=False)
    return len(stale)
