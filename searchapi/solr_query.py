"""The query tree (`searchapi.query`) as an explicit Lucene query string for Solr.

Every clause is marked required or optional (send with defType=lucene, q.op=OR),
so Solr's defaults decide nothing; free text becomes Solr's own dismax parser,
nested, its text in a request parameter of its own.
"""
from searchapi.query import (
    MUST_NOT, Bool, Boosted, Exact, Exists, FreePhrase, FreeText, MatchAll, Phrase, Prefix, Range, Wildcard, Word,
)

SPECIAL = set('+-!():^[]"{}~*?\\/ \t\r\n')


def _solr_quote(value):
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _solr_escape(value):
    return "".join("\\" + c if c in SPECIAL or c in "&|" else c for c in value)


def to_solr(node, params=None):
    """The node as an explicit Lucene query string (send with defType=lucene, q.op=OR).

    FreeText becomes a nested dismax query whose text goes in a request
    parameter of its own (``ft0``, ``ft1``...), added to `params` with Solr's
    qf, mm and tie: the client's text never reaches Solr as parser syntax.
    """
    if params is None:
        params = {}
    if isinstance(node, MatchAll):
        return "*:*"
    if isinstance(node, Word):
        return f"{node.field}:{_solr_escape(node.text)}"
    if isinstance(node, Exact):
        return f"{node.field}:{_solr_quote(node.value)}"
    if isinstance(node, Phrase):
        return f'{node.field}:"{" ".join(node.words)}"'
    if isinstance(node, Prefix):
        return f"{node.field}:{_solr_escape(node.text)}*"
    if isinstance(node, Wildcard):
        return f"{node.field}:" + "".join(c if c in "*?" else _solr_escape(c) for c in node.pattern)
    if isinstance(node, Exists):
        return f"{node.field}:[* TO *]"
    if isinstance(node, Range):
        low = "*" if node.low is None else _solr_quote(node.low)
        high = "*" if node.high is None else _solr_quote(node.high)
        return f"{node.field}:{'[' if node.include_low else '{'}{low} TO {high}{']' if node.include_high else '}'}"
    if isinstance(node, Boosted):
        return f"({to_solr(node.node, params)})^{node.boost:g}"
    if isinstance(node, FreeText):
        return _solr_free_text(node, params)
    if isinstance(node, Bool):
        parts = [f"{occur}({to_solr(child, params)})" for occur, child in node.clauses]
        if all(occur == MUST_NOT for occur, _ in node.clauses):
            parts.insert(0, "+*:*")
        return "(" + " ".join(parts) + ")"
    raise TypeError(node)


def _solr_free_text(node, params):
    """A FreeText as `_query_:"{!dismax ...}"`, its text in the parameter ftN (dismax syntax:
    +/- and quoted phrases only; word pieces are \\w+, so nothing else needs escaping)."""
    parts = []
    for occur, item in node.items:
        if isinstance(item, FreePhrase):
            text = '"' + item.text + '"'
        else:
            text = f'"{item.text}"' if item.text in ("AND", "OR", "NOT", "TO") else item.text
        parts.append(occur + text)
    name = f"ft{sum(1 for key in params if key.startswith('ft'))}"
    params[name] = " ".join(parts)
    params.update(qf=node.weights.qf(), mm=node.weights.mm, tie=f"{node.weights.tie:g}")
    return f'_query_:"{{!dismax qf=$qf mm=$mm tie=$tie v=${name}}}"'


