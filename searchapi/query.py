"""Search queries: Solr/Lucene syntax parsed once, rendered for either engine.

Clients send Solr's query syntax (`q`, `fq`: words, "phrases", field:value,
AND/OR/NOT, +/-, parentheses, prefix*, [ranges], *:*). Solr and Whoosh read
that syntax differently (default operator, analysis, pure negative
clauses), so instead of handing the text to either engine we parse it into a
small tree and render that tree as an explicit Solr query (every clause
marked required or optional, `q.op=OR`) or as Whoosh query objects. Both
engines then answer the same question.

Analysis is decided here too: a term on a text field is split into word
pieces (the same `\\w+` rule as the index's tokenizer) and each piece is
analysed by the engine (Solr) or by `analyze` (Whoosh: the same chain).
Exact fields (names, tags, formats) match the whole value, case-sensitively.
"""
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from whoosh import query as wq
from whoosh.matching import AndNotMatcher, IntersectionMatcher, ListMatcher, NullMatcher, UnionMatcher, WrappingMatcher

from catalog.logic.errors import SearchQueryError
from searchapi import fields as index_fields

MUST, SHOULD, MUST_NOT = "+", "", "-"
WORD = re.compile(r"\w+")
FIELD_NAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
SPECIAL = set('+-!():^[]"{}~*?\\/ \t\r\n')


# ---------------------------------------------------------------- the tree

@dataclass(frozen=True)
class Word:
    """One word piece of an analysed (text) field."""

    field: str
    text: str


@dataclass(frozen=True)
class Exact:
    """A whole value of an exact (string) field."""

    field: str
    value: str


@dataclass(frozen=True)
class Phrase:
    """Word pieces of a text field, in sequence."""

    field: str
    words: tuple


@dataclass(frozen=True)
class Prefix:
    field: str
    text: str


@dataclass(frozen=True)
class Wildcard:
    """A term pattern with * (any characters) and ? (one character), matched against index terms."""

    field: str
    pattern: str


@dataclass(frozen=True)
class Range:
    field: str
    low: object  # None means open
    high: object
    include_low: bool
    include_high: bool


@dataclass(frozen=True)
class MatchAll:
    pass


@dataclass(frozen=True)
class Exists:
    field: str


@dataclass
class Bool:
    """Clauses, each (occur, node): occur is MUST, SHOULD or MUST_NOT (Lucene's meaning)."""

    clauses: list = field(default_factory=list)


@dataclass(frozen=True)
class Boosted:
    """A node whose score counts `boost` times (Lucene's ^)."""

    node: object
    boost: float


@dataclass(frozen=True)
class FreeWord:
    """One word piece of free text, searched in every weighted field."""

    text: str


@dataclass(frozen=True)
class FreePhrase:
    """A phrase of free text: a phrase in the weighted text fields, the whole value in exact ones."""

    text: str


@dataclass(frozen=True)
class FreeText:
    """Free text over weighted fields, as Solr's dismax parser reads it (CKAN's search).

    Each item (occur, FreeWord or FreePhrase) matches if it matches in any field
    of `weights.fields`, and scores as its best field (times that field's boost)
    plus `weights.tie` times the others. Of the optional (SHOULD) items, as many
    must match as `weights.mm` says; required and prohibited items are as in Lucene.
    """

    items: tuple
    weights: object


MATCH_ALL = MatchAll()


def conjunction(nodes):
    """All of `nodes` must match (None entries are skipped)."""
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        return MATCH_ALL
    if len(nodes) == 1:
        return nodes[0]
    return Bool([(MUST, n) for n in nodes])


# ---------------------------------------------------------------- parser (luqum)

# Bounds on what one query may ask, so that a hostile query is a 400 rather than
# a RecursionError (the engines' query builders recurse per level) or a query
# that takes the engine minutes. Solr's own default is 1024 clauses.
MAX_QUERY_LENGTH = 10_000
MAX_DEPTH = 50
MAX_CLAUSES = 1024
MAX_BOOST = 10_000

_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
# Characters Lucene's classic parser reads as plain term characters but luqum
# does not (it reads <, > as Elasticsearch ranges, and ' never starts its terms).
_PLAIN_FOR_LUCENE = set("'<>")


def _unescape(text):
    return _ESCAPED.sub(r"\1", text)


def _lucene_plain(text):
    """Escape, outside phrases, the characters Lucene treats as term text and luqum would not."""
    out, in_phrase, i = [], False, 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i:i + 2])
            i += 2
            continue
        if ch == '"':
            in_phrase = not in_phrase
        elif ch in _PLAIN_FOR_LUCENE and not in_phrase:
            out.append("\\")
        out.append(ch)
        i += 1
    return "".join(out)


def _luqum_tree(text):
    from luqum.exceptions import ParseError
    from luqum.thread import parse as luqum_parse

    try:
        return luqum_parse(_lucene_plain(text))
    except ParseError as exc:
        message = str(exc).replace("Syntax error in input : ", "").replace("  ", " ").rstrip("!")
        if "unexpected end" in message or "unexpected ')'" in message or "unexpected '('" in message:
            message += " (are the parentheses and quotation marks balanced?)"
        raise SearchQueryError(f"Invalid query: {message}") from None


def _has_field_syntax(tree):
    """Whether a luqum tree names a field (or a range, or *:*): CKAN's test for the Lucene parser."""
    from luqum import tree as lt

    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, (lt.SearchField, lt.Range)):
            return True
        stack.extend(item.children)
    return False


def _occur_of(item):
    """(occur modifier or None, the item inside a +, - or NOT)."""
    from luqum import tree as lt

    if isinstance(item, lt.Plus):
        return MUST, item.a
    if isinstance(item, (lt.Prohibit, lt.Not)):
        return MUST_NOT, item.a
    return None, item


def _sequence(item):
    """The clauses of one parenthesis level in reading order, each (conjunction before it, item).

    luqum builds AND/OR with boolean precedence; Lucene's classic parser has none
    and decides each clause from the conjunctions beside it (`_add`), so the
    level is flattened back into the sequence Lucene reads.
    """
    from luqum import tree as lt

    out, stack = [], [(None, item)]
    while stack:
        conj, node = stack.pop()
        if isinstance(node, (lt.AndOperation, lt.OrOperation, lt.UnknownOperation)):
            name = {lt.AndOperation: "AND", lt.OrOperation: "OR"}.get(type(node))
            operands = list(node.operands)
            stack.extend(reversed([(conj, operands[0])] + [(name, o) for o in operands[1:]]))
        else:
            out.append((conj, node))
    return out


class _Converter:
    """luqum's tree → our tree, with Lucene's rules for AND/OR/NOT and +/-.

    `weights` (a `searchapi.weights.Weights`) makes unfielded words and phrases
    free text over the weighted fields; without it they search `default_field`.
    """

    def __init__(self, default_field, weights):
        self.default_field = default_field
        self.weights = weights
        self.depth = 0
        self.clauses = 0

    def _enter(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise SearchQueryError(
                f"Query is nested too deeply: at most {MAX_DEPTH} levels of parentheses or field prefixes"
            )

    def _count(self, n=1):
        self.clauses += n
        if self.clauses > MAX_CLAUSES:
            raise SearchQueryError(f"Query has too many clauses: at most {MAX_CLAUSES}")

    def node(self, item, field):
        self._enter()
        try:
            return self._node(item, field)
        finally:
            self.depth -= 1

    def _node(self, item, field):
        from luqum import tree as lt

        if isinstance(item, lt.BaseGroup):
            return self.group(item.expr, field)
        if isinstance(item, (lt.BaseOperation, lt.UnaryOperator)):
            return self.group(item, field)
        if isinstance(item, lt.SearchField):
            if item.name == "*":
                if isinstance(item.expr, lt.Word) and item.expr.value == "*":
                    return MATCH_ALL
                raise SearchQueryError("Only *:* may use the field '*'")
            return self.node(item.expr, resolve_field(_unescape(item.name)))
        if isinstance(item, lt.Boost):
            boost = _boost(item.force)
            inner = self.node(item.expr, field)
            return None if inner is None else (inner if boost == 1 else Boosted(inner, boost))
        if isinstance(item, lt.Word):
            return self.word(item.value, field)
        if isinstance(item, lt.Phrase):
            return self.phrase(_unescape(item.value[1:-1]), field)
        if isinstance(item, lt.Range):
            return range_node(field or self.default_field, _bound(item.low), _bound(item.high),
                              item.include_low, item.include_high)
        if isinstance(item, lt.Fuzzy):
            raise SearchQueryError(
                f"Fuzzy search ({item.term.value}~) is not supported: use a prefix (word*) or a wildcard (wo?d)")
        if isinstance(item, lt.Proximity):
            raise SearchQueryError(f"Proximity search ({item.term.value}~) is not supported: use a phrase")
        if isinstance(item, lt.Regex):
            raise SearchQueryError("Regular expressions (/.../) are not supported in queries")
        raise SearchQueryError(f"Unsupported query syntax at position {item.pos}")

    def group(self, expr, field):
        sequence = _sequence(expr)
        self._count(len(sequence))
        if self.weights is not None and field is None:
            free = self._free_text(sequence)
            if free is not None:
                return free
        clauses = []  # [occur, node]
        for conj, item in sequence:
            modifier, inner = _occur_of(item)
            _add(clauses, conj, modifier, self.node(inner, field))
        kept = [(occur, node) for occur, node in clauses if node is not None]
        if not kept:
            return None
        if len(kept) == 1 and kept[0][0] != MUST_NOT:
            return kept[0][1]
        return Bool(kept)

    def _free_text(self, sequence):
        """A level of plain words and phrases (with + or -, no AND/OR/NOT, boosts or wildcards)
        as one FreeText: the query CKAN sends to dismax, with its minimum-should-match.
        None if the level is not that plain, or has nothing to match."""
        from luqum import tree as lt

        items = []
        for conj, item in sequence:
            if conj is not None or isinstance(item, lt.Not):
                return None
            modifier, inner = _occur_of(item)
            occur = modifier or SHOULD
            if isinstance(inner, lt.Phrase):
                text = _free_phrase_text(inner.value)
                if text is not None:
                    items.append((occur, FreePhrase(text)))
            elif isinstance(inner, lt.Word) and not _wildcards(inner.value):
                pieces = WORD.findall(_unescape(inner.value))
                if len(pieces) > 1 and occur == MUST_NOT:
                    return None
                items.extend((occur, FreeWord(piece)) for piece in pieces)
            else:
                return None
        if not any(occur != MUST_NOT for occur, _ in items):
            return None
        return FreeText(tuple(items), self.weights)

    def word(self, raw, field):
        if field is None:
            if _wildcards(raw) or raw == "*":
                return term_node(self.default_field, _unescape(raw), raw=raw)
            pieces = WORD.findall(_unescape(raw))
            if not pieces:
                return None
            return FreeText(tuple((MUST, FreeWord(p)) for p in pieces), self.weights)
        return term_node(field, _unescape(raw), raw=raw)

    def phrase(self, text, field):
        if field is None:
            free = _free_phrase_text('"' + text + '"')
            return None if free is None else FreeText(((MUST, FreePhrase(free)),), self.weights)
        return phrase_node(field, text)

    def convert(self, tree):
        field = None if self.weights is not None else self.default_field
        return self.node(tree, field)


def _add(clauses, conj, modifier, node):
    """Lucene's QueryParserBase.addClause with the AND default operator."""
    if clauses and conj == "AND" and clauses[-1][0] != MUST_NOT:
        clauses[-1][0] = MUST
    if clauses and conj == "OR" and clauses[-1][0] != MUST_NOT:
        clauses[-1][0] = SHOULD
    if modifier == MUST_NOT:
        occur = MUST_NOT
    elif conj == "OR" and modifier != MUST:
        occur = SHOULD
    else:
        occur = MUST
    clauses.append([occur, node])


def _boost(force):
    try:
        boost = 1.0 if force in (None, "") else float(force)
    except ValueError:
        raise SearchQueryError(f"Invalid boost ^{force}") from None
    if not 0 <= boost <= MAX_BOOST:
        raise SearchQueryError(f"A boost must be between 0 and {MAX_BOOST}, not {force}")
    return boost


def _bound(item):
    from luqum import tree as lt

    if isinstance(item, lt.Prohibit):
        return "-" + _bound(item.a)
    if isinstance(item, lt.Phrase):
        return _unescape(item.value[1:-1])
    return _unescape(item.value)


def _wildcards(raw):
    """Whether a raw term has an unescaped * or ?."""
    return bool(re.search(r"(?<!\\)(?:\\\\)*[*?]", raw))


def _free_phrase_text(quoted):
    """A phrase's text for free-text search, or None if it holds nothing to match.

    Quotation marks inside are dropped: Solr's dismax parser cannot escape them
    (no word, name or tag holds one), so both engines read the same text."""
    text = _unescape(quoted[1:-1]).replace('"', " ")
    return text if text.strip() else None



# ---------------------------------------------------------------- leaves

def resolve_field(name):
    """The index field a query names; a field the index cannot search is a query error."""
    if not isinstance(name, str) or not FIELD_NAME.match(name):
        raise SearchQueryError(f"Invalid field name {name!r}")
    target = index_fields.index_field(name)
    kind = index_fields.kind_of(target)
    if kind is None or kind == "stored":
        raise SearchQueryError(f"Field {name!r} cannot be searched")
    return target


def is_exact(field_name):
    return index_fields.kind_of(field_name) in ("string", "strings")


def term_node(field_name, text, raw=None):
    """A bare term on a field: exact value, prefix (trailing *), wildcard (* or ? inside), or word pieces."""
    raw = text if raw is None else raw
    if raw == "*":
        return Exists(field_name)
    if _wildcards(raw):
        pattern = raw if is_exact(field_name) else fold(raw)
        stem = pattern[:-1]
        if pattern.endswith("*") and not _wildcards(stem) and stem:
            return Prefix(field_name, _unescape(stem))
        if re.search(r"\\[*?]", pattern):
            raise SearchQueryError(f"A wildcard term cannot also hold an escaped * or ?: {raw!r}")
        return Wildcard(field_name, _unescape(pattern))
    if is_exact(field_name):
        return Exact(field_name, text)
    return conjunction(Word(field_name, w) for w in WORD.findall(text)) if WORD.search(text) else None


def phrase_node(field_name, text):
    if is_exact(field_name):
        return Exact(field_name, text)
    words = tuple(WORD.findall(text))
    if not words:
        return None
    if len(words) == 1:
        return Word(field_name, words[0])
    return Phrase(field_name, words)


def _range_bound(value):
    value = value.strip().strip('"')
    if value == "*":
        return None
    if re.match(r"^\d{4}-\d{2}-\d{2}", value):
        try:
            return index_fields.format_date(datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            raise SearchQueryError(f"Invalid date {value!r} in range") from None
    return value


def range_node(field_name, low, high, include_low, include_high):
    """[low TO high] on an exact field (dates and names compare as the index stores them)."""
    if not is_exact(field_name):
        raise SearchQueryError(f"Ranges are only supported on exact fields, not {field_name!r}")
    low, high = _range_bound(low), _range_bound(high)
    if low is None and high is None:
        return Exists(field_name)
    return Range(field_name, low, high, include_low, include_high)


def fold(text):
    """Lower-case and strip accents, as the text analyser does (without stemming)."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# ---------------------------------------------------------------- entry points

def parse(text, default_field=index_fields.DOCUMENT_FIELD, weights=None, def_type="dismax"):
    """Parse a Solr-syntax query into a tree; an empty query matches everything.

    With `weights` (a `searchapi.weights.Weights`), words and phrases that name
    no field are free text over the weighted fields: for every query when
    `def_type` is "edismax", for a query with no field syntax at all when it is
    "dismax" (CKAN's rule: ``title:x y`` searches `y` in `default_field` only),
    never when it is "lucene".
    """
    if text is None or not str(text).strip():
        return MATCH_ALL
    text = str(text)
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchQueryError(f"Query is too long: at most {MAX_QUERY_LENGTH} characters")
    if text.lstrip().startswith("{!"):
        raise SearchQueryError("Local parameters ({!...}) are not accepted in queries")
    tree = _luqum_tree(text)
    if def_type == "lucene" or (def_type == "dismax" and _has_field_syntax(tree)):
        weights = None
    node = _Converter(default_field, weights).convert(tree)
    return MATCH_ALL if node is None else node


def field_value_node(name, value):
    """`name=value` from a v1/v2 search or `fields`: the value as a phrase of that field."""
    field_name = resolve_field(name)
    return phrase_node(field_name, str(value))


# ---------------------------------------------------------------- Solr rendering

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


# ---------------------------------------------------------------- Whoosh rendering

class _AndNotMatcher(AndNotMatcher):
    """Whoosh 2.7's AndNotMatcher, minus a bug: when the excluded postings start
    before the included ones, its first document was never checked against them
    (so `water -river` could return a document containing both)."""

    def _find_first(self):
        if self.a.is_active() and self.b.is_active():
            if self.b.id() < self.a.id():
                self.b.skip_to(self.a.id())
            if self.b.is_active() and self.a.id() == self.b.id():
                self._find_next()


class _AndNot(wq.AndNot):
    def matcher(self, searcher, context=None):
        return _AndNotMatcher(self.a.matcher(searcher, context), self.b.matcher(searcher, searcher.boolean_context()))


class _Boost(wq.WrappingQuery):
    """A query whose scores count `boost` times (Whoosh applies the boost of compound queries nowhere)."""

    def __init__(self, child, boost):
        super().__init__(child)
        self.boost = boost

    def _rewrap(self, child):
        return self.__class__(child, self.boost)

    def matcher(self, searcher, context=None):
        return WrappingMatcher(self.child.matcher(searcher, context), boost=self.boost)


class _AtLeast(wq.Or):
    """Documents matching at least `minimum` of the subqueries, scored as Or does
    (Solr's minimum-should-match; Whoosh's own `minmatch` is not implemented)."""

    def __init__(self, subqueries, boost=1.0, minimum=1):
        super().__init__(subqueries, boost=boost)
        self.minimum = minimum

    def normalize(self):
        return self

    def matcher(self, searcher, context=None):
        counts = Counter()
        for sub in self.subqueries:
            counts.update(sub.matcher(searcher, searcher.boolean_context()).all_ids())
        ids = sorted(docnum for docnum, count in counts.items() if count >= self.minimum)
        # The list only filters: its score is zero, the subqueries' scores add up as in Or.
        only = WrappingMatcher(ListMatcher(ids), boost=0.0)
        return IntersectionMatcher(super().matcher(searcher, context), only)


class _DisMaxMatcher(UnionMatcher):
    """Dismax's score: the best sub-score at the current document plus `tiebreak` times the others.

    Whoosh 2.7's DisjunctionMaxMatcher takes the maximum over its sub-matchers
    without checking that they stand on the current document (a word in one
    document's title raised the score of another document), and ignores the
    tiebreak. Block-quality skipping is off: correctness over speed here.
    """

    def __init__(self, a, b, tiebreak=0.0):
        super().__init__(a, b)
        self.tiebreak = tiebreak

    def copy(self):
        return self.__class__(self.a.copy(), self.b.copy(), tiebreak=self.tiebreak)

    def supports_block_quality(self):
        return False

    def replace(self, minquality=0):
        a_active, b_active = self.a.is_active(), self.b.is_active()
        if not (a_active or b_active):
            return NullMatcher()
        if not a_active:
            return self.b
        if not b_active:
            return self.a
        return self

    def _scores(self):
        current, scores = self.id(), []
        for sub in (self.a, self.b):
            if sub.is_active() and sub.id() == current:
                scores.extend(sub._scores() if isinstance(sub, _DisMaxMatcher) else [sub.score()])
        return scores

    def score(self):
        scores = self._scores()
        best = max(scores)
        return best + self.tiebreak * (sum(scores) - best)


class _DisMax(wq.DisjunctionMax):
    """DisjunctionMax scored as Solr's dismax scores it (see `_DisMaxMatcher`)."""

    def _matcher(self, subs, searcher, context):
        return self._tree_matcher(subs, _DisMaxMatcher, searcher, context, None, tiebreak=self.tiebreak)


def _whoosh_free_item(item, weights):
    """One free-text item as DisjunctionMax over the weighted fields (dismax's score: best field + tie * rest)."""
    from searchapi.analysis import analyze

    per_field = []
    for name, boost in weights.fields:
        if is_exact(name):
            per_field.append(wq.Term(name, item.text, boost=boost))
            continue
        tokens = analyze(item.text)
        if len(tokens) == 1:
            per_field.append(wq.Term(name, tokens[0], boost=boost))
        elif tokens:
            per_field.append(wq.Phrase(name, tokens, boost=boost))
    if not per_field:
        return wq.NullQuery
    return per_field[0] if len(per_field) == 1 else _DisMax(per_field, tiebreak=weights.tie)


def _whoosh_free_text(node):
    """FreeText on Whoosh with dismax's rules: required, prohibited, and at least mm of the optional items."""
    from searchapi import weights as weighting

    musts = [_whoosh_free_item(i, node.weights) for o, i in node.items if o == MUST]
    shoulds = [_whoosh_free_item(i, node.weights) for o, i in node.items if o == SHOULD]
    nots = [_whoosh_free_item(i, node.weights) for o, i in node.items if o == MUST_NOT]
    minimum = weighting.min_should_match(node.weights.mm, len(shoulds)) if shoulds else 0
    if len(node.items) == 1 or (shoulds and not musts):
        minimum = max(minimum, 1)  # Solr: a lone clause, or optional ones only, must match once
    if minimum >= len(shoulds):
        musts, shoulds = musts + shoulds, []
    elif minimum > 0:
        musts, shoulds = musts + [_AtLeast(shoulds, minimum=minimum)], []
    positive = musts[0] if len(musts) == 1 else wq.And(musts) if musts else wq.Every()
    if shoulds:
        positive = wq.AndMaybe(positive, shoulds[0] if len(shoulds) == 1 else wq.Or(shoulds))
    if nots:
        return _AndNot(positive, nots[0] if len(nots) == 1 else wq.Or(nots))
    return positive


def whoosh_filter(node):
    """The node as a Whoosh query that matches as `to_whoosh`'s does and scores nothing (Solr's fq)."""
    return _Boost(to_whoosh(node), 0.0)


def to_whoosh(node):
    """The node as a Whoosh query with the same meaning as `to_solr`'s string on Solr."""
    from searchapi.analysis import analyze

    if isinstance(node, MatchAll):
        return wq.Every()
    if isinstance(node, Word):
        tokens = analyze(node.text)
        if not tokens:
            return wq.NullQuery
        return wq.Term(node.field, tokens[0]) if len(tokens) == 1 else wq.And([wq.Term(node.field, t) for t in tokens])
    if isinstance(node, Exact):
        return wq.Term(node.field, node.value)
    if isinstance(node, Phrase):
        tokens = [t for w in node.words for t in analyze(w)]
        return wq.Phrase(node.field, tokens) if len(tokens) > 1 else wq.Term(node.field, tokens[0])
    if isinstance(node, Prefix):
        return wq.Prefix(node.field, node.text)
    if isinstance(node, Wildcard):
        return wq.Wildcard(node.field, node.pattern)
    if isinstance(node, Boosted):
        return _Boost(to_whoosh(node.node), node.boost)
    if isinstance(node, FreeText):
        return _whoosh_free_text(node)
    if isinstance(node, Exists):
        return wq.Every(node.field)
    if isinstance(node, Range):
        return wq.TermRange(node.field, node.low, node.high,
                            startexcl=not node.include_low, endexcl=not node.include_high)
    if isinstance(node, Bool):
        musts = [to_whoosh(c) for o, c in node.clauses if o == MUST]
        shoulds = [to_whoosh(c) for o, c in node.clauses if o == SHOULD]
        nots = [to_whoosh(c) for o, c in node.clauses if o == MUST_NOT]
        if musts:
            positive = musts[0] if len(musts) == 1 else wq.And(musts)
        elif shoulds:
            positive = shoulds[0] if len(shoulds) == 1 else wq.Or(shoulds)
        else:
            positive = wq.Every()
        if musts and shoulds:
            # Optional clauses beside required ones only rank, as in Lucene.
            positive = wq.AndMaybe(positive, shoulds[0] if len(shoulds) == 1 else wq.Or(shoulds))
        if nots:
            return _AndNot(positive, nots[0] if len(nots) == 1 else wq.Or(nots))
        return positive
    raise TypeError(node)
