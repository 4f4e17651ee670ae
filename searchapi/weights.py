"""Field weights for free text, as CKAN ranks it: `qf`, `mm` and `defType`, validated once.

CKAN (1.6 and 2.x alike) sends a query without field syntax to Solr's dismax
parser with ``qf="name^4 title^4 tags^2 groups^2 text"`` (a word in the name
or title weighs four times one in the rest of the text), ``mm="2<-1 5<80%"``
(one or two words: all required; three to five: all but one; more: 80%) and
``tie=0.1``; a query with field syntax goes to the Lucene parser on ``text``.
`package_search` accepts ``qf``, ``mm`` and ``defType`` to change that, as
CKAN does; each is checked here, so a bad value is a 400 naming it, and no
client text ever reaches Solr as parser syntax (local params ``{!...}`` are
refused).

The weights are the setting CKAN_SEARCH_QUERY_FIELDS (CKAN's by default);
`searchapi.query` renders them for Solr (its dismax parser) and for Whoosh
(DisjunctionMax over boosted field queries, scored by BM25F).
"""
import math
import re
from dataclasses import dataclass

from django.conf import settings

from catalog.logic.errors import SearchQueryError
from searchapi import fields as index_fields

DEFAULT_QUERY_FIELDS = "name^4 title^4 tags^2 groups^2 text"
DEFAULT_MM = "2<-1 5<80%"
TIE = 0.1
# dismax: weighted free text unless the query has field syntax (CKAN's default);
# edismax: unfielded words weighted even beside field syntax; lucene: never weighted.
DEF_TYPES = ("dismax", "edismax", "lucene")
MAX_BOOST = 10_000

_QF_ITEM = re.compile(r"^(?P<field>[A-Za-z_][\w.\-]*)(?:\^(?P<boost>\d+(?:\.\d+)?))?$")
_MM_SIMPLE = r"-?\d+%?"
_MM = re.compile(rf"^\s*(?:{_MM_SIMPLE}|(?:\d+\s*<\s*{_MM_SIMPLE}\s*)+)\s*$")


@dataclass(frozen=True)
class Weights:
    """How free text is searched: (index field, boost) pairs, Solr's mm spec, dismax's tie."""

    fields: tuple
    mm: str = DEFAULT_MM
    tie: float = TIE

    def qf(self):
        """The fields as Solr's qf parameter."""
        return " ".join(f"{name}^{boost:g}" for name, boost in self.fields)


def query_fields(text, name="qf"):
    """`name^4 title^4 text` → ((field, boost), ...); an unknown or unsearchable field is a query error."""
    if not isinstance(text, str) or not text.strip():
        raise SearchQueryError(f"{name} must name at least one field, e.g. {DEFAULT_QUERY_FIELDS!r}")
    pairs = []
    for item in text.split():
        match = _QF_ITEM.match(item)
        if not match:
            raise SearchQueryError(f"Invalid {name} entry {item!r}: use field or field^boost")
        field = index_fields.ALIASES.get(match["field"], match["field"])
        kind = index_fields.kind_of(field)
        if kind is None or kind == "stored":
            raise SearchQueryError(f"Unknown or unsearchable field {match['field']!r} in {name}")
        boost = float(match["boost"]) if match["boost"] else 1.0
        if not 0 < boost <= MAX_BOOST:
            raise SearchQueryError(f"A boost in {name} must be above 0 and at most {MAX_BOOST}: {item!r}")
        pairs.append((field, boost))
    return tuple(pairs)


def check_mm(spec):
    """A Solr minimum-should-match spec ("2", "-1", "75%", "2<-1 5<80%"), checked; returns it."""
    if not isinstance(spec, str) or not _MM.match(spec):
        raise SearchQueryError(f"Invalid mm {spec!r}: use Solr's minimum-should-match syntax, e.g. {DEFAULT_MM!r}")
    return " ".join(re.sub(r"\s*<\s*", "<", spec.strip()).split())


def min_should_match(spec, optional):
    """How many of `optional` clauses must match under `spec`, as Solr computes it
    (SolrPluginUtils.calculateMinShouldMatch: conditions, negatives, percentages rounded down)."""
    result = optional
    if "<" in spec:
        for condition in spec.split():
            bound, _, rule = condition.partition("<")
            if optional <= int(bound):
                return _clamp(result, optional)
            result = min_should_match(rule, optional)
        return _clamp(result, optional)
    if spec.endswith("%"):
        calc = optional * int(spec[:-1]) / 100
        result = optional + math.ceil(calc) if calc < 0 else math.floor(calc)
    else:
        calc = int(spec)
        result = optional + calc if calc < 0 else calc
    return _clamp(result, optional)


def _clamp(value, optional):
    return max(0, min(value, optional))


def default_weights():
    """The site's weights: the setting CKAN_SEARCH_QUERY_FIELDS (CKAN's qf by default) and CKAN's mm."""
    return Weights(query_fields(getattr(settings, "CKAN_SEARCH_QUERY_FIELDS", DEFAULT_QUERY_FIELDS),
                                "CKAN_SEARCH_QUERY_FIELDS"))


def request_weights(qf=None, mm=None, def_type=None):
    """The weights and defType of one search: the site's, with the request's qf/mm/defType checked."""
    def_type = "dismax" if def_type in (None, "") else def_type
    if not isinstance(def_type, str) or def_type not in DEF_TYPES:
        raise SearchQueryError(f"Invalid defType {def_type!r}: use one of {', '.join(DEF_TYPES)}")
    base = default_weights()
    weights = Weights(
        fields=base.fields if qf in (None, "") else query_fields(qf),
        mm=base.mm if mm in (None, "") else check_mm(mm),
    )
    return weights, def_type
