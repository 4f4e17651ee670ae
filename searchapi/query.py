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
from dataclasses import dataclass, field
from datetime import datetime

from whoosh import query as wq
from whoosh.matching import AndNotMatcher

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


MATCH_ALL = MatchAll()


def conjunction(nodes):
    """All of `nodes` must match (None entries are skipped)."""
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        return MATCH_ALL
    if len(nodes) == 1:
        return nodes[0]
    return Bool([(MUST, n) for n in nodes])


# ---------------------------------------------------------------- lexer

@dataclass
class _Token:
    kind: str  # WORD, PHRASE, RANGE, LPAREN, RPAREN, AND, OR, NOT, PLUS, MINUS, FIELD
    text: str = ""
    extra: object = None


def _read_escaped(text, i, stop):
    """Read a term starting at i until an unescaped character in `stop`; returns (raw, plain, i)."""
    out, start = [], i
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            if i + 1 >= len(text):
                raise SearchQueryError("Query ends with an escape character")
            out.append(text[i + 1])
            i += 2
            continue
        if ch in stop:
            break
        out.append(ch)
        i += 1
    return text[start:i], "".join(out), i


def _skip_modifier(text, i):
    """Skip a boost (^2) or fuzziness/slop (~, ~0.8) after a term, phrase or group."""
    while i < len(text) and text[i] in "^~":
        i += 1
        while i < len(text) and (text[i].isdigit() or text[i] == "."):
            i += 1
    return i


def _tokens(text):
    tokens, i = [], 0
    term_stop = set(' \t\r\n()"^~[]{}:')
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == "(":
            tokens.append(_Token("LPAREN"))
            i += 1
        elif ch == ")":
            tokens.append(_Token("RPAREN"))
            i = _skip_modifier(text, i + 1)
        elif ch == "+" and not _inside_word(text, i):
            tokens.append(_Token("PLUS"))
            i += 1
        elif ch in "-!" and not _inside_word(text, i):
            tokens.append(_Token("MINUS"))
            i += 1
        elif text.startswith("&&", i):
            tokens.append(_Token("AND"))
            i += 2
        elif text.startswith("||", i):
            tokens.append(_Token("OR"))
            i += 2
        elif ch == '"':
            end = i + 1
            parts = []
            while end < len(text) and text[end] != '"':
                if text[end] == "\\" and end + 1 < len(text):
                    end += 1
                parts.append(text[end])
                end += 1
            if end >= len(text):
                raise SearchQueryError("Unbalanced quotation marks in query")
            tokens.append(_Token("PHRASE", "".join(parts)))
            i = _skip_modifier(text, end + 1)
        elif ch in "[{":
            end = text.find("]", i)
            end_curly = text.find("}", i)
            ends = [e for e in (end, end_curly) if e != -1]
            if not ends:
                raise SearchQueryError("Unterminated range in query")
            end = min(ends)
            tokens.append(_Token("RANGE", text[i + 1:end], (ch == "[", text[end] == "]")))
            i = end + 1
        elif ch in "]}":
            raise SearchQueryError(f"Unexpected {ch!r} in query")
        elif ch in "^~":
            raise SearchQueryError(f"Unexpected {ch!r} in query")
        elif ch == ":":
            raise SearchQueryError("A ':' must follow a field name")
        else:
            raw, plain, i = _read_escaped(text, i, term_stop)
            if i < len(text) and text[i] == ":" and raw:
                if not FIELD_NAME.match(raw) and raw != "*":
                    raise SearchQueryError(f"Invalid field name {raw!r} in query")
                tokens.append(_Token("FIELD", raw))
                i += 1
                if i >= len(text) or text[i].isspace():
                    raise SearchQueryError(f"Field {raw!r} has no value in query")
                continue
            i = _skip_modifier(text, i)
            if raw in ("AND", "OR", "NOT"):
                tokens.append(_Token(raw))
            else:
                tokens.append(_Token("WORD", plain, raw))
    return tokens


def _inside_word(text, i):
    """A '-' or '+' inside a word (e.g. air-quality) belongs to the word."""
    return i > 0 and not text[i - 1].isspace() and text[i - 1] not in "(:"


# ---------------------------------------------------------------- parser

# Bounds on what one query may ask, so that a hostile query is a 400 rather than
# a RecursionError (the parser and the engines' query builders recurse per level)
# or a query that takes the engine minutes. Solr's own default is 1024 clauses.
MAX_QUERY_LENGTH = 10_000
MAX_DEPTH = 50
MAX_CLAUSES = 1024


class _Parser:
    """Lucene's classic query grammar, with Lucene's rules for AND/OR/NOT and +/-."""

    def __init__(self, text, default_field):
        self.tokens = _tokens(text)
        self.pos = 0
        self.default_field = default_field
        self.depth = 0
        self.clauses = 0

    def _enter(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise SearchQueryError(
                f"Query is nested too deeply: at most {MAX_DEPTH} levels of parentheses or field prefixes"
            )

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self):
        token = self.peek()
        self.pos += 1
        return token

    def parse(self):
        node = self.query(self.default_field, top=True)
        if self.peek() is not None:
            raise SearchQueryError("Unbalanced parentheses in query")
        return node

    def query(self, field_name, top=False):
        clauses = []  # [occur, node, explicitly prohibited]
        while True:
            token = self.peek()
            if token is None or token.kind == "RPAREN":
                break
            conj = None
            if token.kind in ("AND", "OR"):
                if not clauses:
                    raise SearchQueryError(f"Query cannot start with {token.kind}")
                conj = token.kind
                self.take()
                token = self.peek()
                if token is None or token.kind == "RPAREN":
                    raise SearchQueryError(f"Nothing follows {conj} in query")
            modifier = None
            if token.kind in ("PLUS", "MINUS", "NOT"):
                modifier = MUST if token.kind == "PLUS" else MUST_NOT
                self.take()
                if self.peek() is None or self.peek().kind in ("RPAREN", "AND", "OR"):
                    raise SearchQueryError("An operator has nothing to apply to in query")
            self.clauses += 1
            if self.clauses > MAX_CLAUSES:
                raise SearchQueryError(f"Query has too many clauses: at most {MAX_CLAUSES}")
            node = self.clause(field_name)
            self._add(clauses, conj, modifier, node)
        if not clauses and not top:
            raise SearchQueryError("Empty parentheses in query")
        kept = [(occur, node) for occur, node in clauses if node is not None]
        if not kept:
            return None
        if len(kept) == 1 and kept[0][0] != MUST_NOT:
            return kept[0][1]
        return Bool(kept)

    @staticmethod
    def _add(clauses, conj, modifier, node):
        # Lucene's QueryParserBase.addClause with the AND default operator.
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

    def clause(self, field_name):
        self._enter()
        try:
            return self._clause(field_name)
        finally:
            self.depth -= 1

    def _clause(self, field_name):
        token = self.take()
        if token.kind == "FIELD":
            name = token.text
            nxt = self.peek()
            if nxt is None:
                raise SearchQueryError(f"Field {name!r} has no value in query")
            if name == "*":
                value = self.take()
                if value.kind == "WORD" and value.extra == "*":
                    return MATCH_ALL
                raise SearchQueryError("Only *:* may use the field '*'")
            return self.clause(resolve_field(name))
        if token.kind == "LPAREN":
            node = self.query(field_name)
            if self.take() is None:
                raise SearchQueryError("Unbalanced parentheses in query")
            return node
        if token.kind == "WORD":
            return term_node(field_name, token.text, raw=token.extra)
        if token.kind == "PHRASE":
            return phrase_node(field_name, token.text)
        if token.kind == "RANGE":
            return range_node(field_name, token.text, *token.extra)
        raise SearchQueryError("Unbalanced parentheses in query" if token.kind == "RPAREN"
                               else f"Unexpected {token.kind} in query")


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
    """A bare term on a field: exact value, prefix (trailing *), or word pieces."""
    raw = text if raw is None else raw
    if raw == "*":
        return Exists(field_name)
    if raw.endswith("*") and not raw.endswith("\\*") and "*" not in raw[:-1] and len(text) > 1:
        stem = text[:-1]
        return Prefix(field_name, stem if is_exact(field_name) else fold(stem))
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


def range_node(field_name, body, include_low, include_high):
    parts = re.split(r"\s+TO\s+", body.strip())
    if len(parts) != 2:
        raise SearchQueryError(f"A range needs 'low TO high': [{body}]")
    if not is_exact(field_name):
        raise SearchQueryError(f"Ranges are only supported on exact fields, not {field_name!r}")
    low, high = (_range_bound(p) for p in parts)
    if low is None and high is None:
        return Exists(field_name)
    return Range(field_name, low, high, include_low, include_high)


def fold(text):
    """Lower-case and strip accents, as the text analyser does (without stemming)."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# ---------------------------------------------------------------- entry points

def parse(text, default_field=index_fields.DOCUMENT_FIELD):
    """Parse a Solr-syntax query into a tree; an empty query matches everything."""
    if text is None or not str(text).strip():
        return MATCH_ALL
    text = str(text)
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchQueryError(f"Query is too long: at most {MAX_QUERY_LENGTH} characters")
    node = _Parser(text, default_field).parse()
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


def to_solr(node):
    """The node as an explicit Lucene query string (send with q.op=OR)."""
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
    if isinstance(node, Exists):
        return f"{node.field}:[* TO *]"
    if isinstance(node, Range):
        low = "*" if node.low is None else _solr_quote(node.low)
        high = "*" if node.high is None else _solr_quote(node.high)
        return f"{node.field}:{'[' if node.include_low else '{'}{low} TO {high}{']' if node.include_high else '}'}"
    if isinstance(node, Bool):
        parts = [f"{occur}({to_solr(child)})" for occur, child in node.clauses]
        if all(occur == MUST_NOT for occur, _ in node.clauses):
            parts.insert(0, "+*:*")
        return "(" + " ".join(parts) + ")"
    raise TypeError(node)


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
