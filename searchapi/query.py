"""Search queries: Solr/Lucene syntax parsed once into one tree, for either engine.

Clients send Solr's query syntax (`q`, `fq`: words, "phrases", field:value,
AND/OR/NOT, +/-, parentheses, ^boosts, prefix*, wild?cards, [ranges], *:*).
Solr and Whoosh read that syntax differently (default operator, analysis,
pure negative clauses), so instead of handing the text to either engine we
parse it with luqum, check it, and turn it into a small tree of our own, with
Lucene's rules for the operators; `searchapi.solr_query` renders that tree as
an explicit Solr query and `searchapi.whoosh_query` as Whoosh query objects.
Both engines then answer the same question.

Free text (words and phrases with no field, when the query names no field at
all, as CKAN decides) becomes FreeText nodes: searched over the weighted
fields of `searchapi.weights`, as CKAN's dismax search does.

Analysis is decided here too: a term on a text field is split into word
pieces (the same `\\w+` rule as the index's tokenizer) and each piece is
analysed by the engine (Solr) or by `analyze` (Whoosh: the same chain).
Exact fields (names, tags, formats) match the whole value, case-sensitively.
"""
import re
from dataclasses import dataclass, field
from datetime import datetime

from catalog.logic.errors import SearchQueryError
from searchapi import fields as index_fields

MUST, SHOULD, MUST_NOT = "+", "", "-"
WORD = re.compile(r"\w+")
FIELD_NAME = re.compile(r"^[A-Za-z_][\w.\-]*$")


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
    """The query in the syntax luqum reads, meaning what Lucene's classic parser reads.

    Outside phrases: `&&`, `||` and a leading `!` are Lucene's AND, OR and NOT
    (luqum knows only the words), and the characters Lucene treats as term text
    but luqum would not (`'`, `<`, `>`) are escaped.
    """
    out, in_phrase, i = [], False, 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i:i + 2])
            i += 2
            continue
        if ch == '"':
            in_phrase = not in_phrase
        elif not in_phrase and text[i:i + 2] in ("&&", "||"):
            out.append(" AND " if ch == "&" else " OR ")
            i += 2
            continue
        elif not in_phrase and ch == "!" and (i == 0 or text[i - 1].isspace() or text[i - 1] in "(+-"):
            out.append("NOT ")
            i += 1
            continue
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
