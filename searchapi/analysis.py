"""The text analysis both engines apply, written once for Whoosh.

Solr's `text` field type (solr/conf/schema.xml) is: split into `\\w+` runs,
lower-case, fold accents to ASCII, English Snowball (Porter2) stem. Whoosh
gets the same chain here, so a word matches the same datasets on both.
Multi-valued fields keep their values apart (a phrase never spans two
tags or two resource descriptions), as Solr's positionIncrementGap does.

Words longer than MAX_TOKEN_LENGTH are left out (Solr's LengthFilter, right
after the tokenizer): Lucene refuses a whole document holding a term over
32,766 bytes, and no one searches for a 256-letter word.
"""
from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter, Token, Tokenizer
from whoosh.lang.snowball.english import EnglishStemmer
from whoosh.support.charset import accent_map

VALUE_GAP = 100
# The longest word indexed, in UTF-16 code units as Lucene counts (the `max` of
# solr.LengthFilterFactory in solr/conf/schema.xml).
MAX_TOKEN_LENGTH = 255


class LengthFilter(Filter):
    """Drops tokens longer than MAX_TOKEN_LENGTH UTF-16 units; the others keep their positions."""

    def __eq__(self, other):
        return isinstance(other, LengthFilter)

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            # Up to half the limit in code points is within it whatever the characters.
            if len(text) <= MAX_TOKEN_LENGTH // 2 or len(text.encode("utf-16-le")) // 2 <= MAX_TOKEN_LENGTH:
                yield token


def _stemmer():
    return EnglishStemmer().stem


def _words(tokenizer):
    """The chain after `tokenizer`, Solr's `text` type's: long words out, lower-case, fold, stem."""
    return (tokenizer | LengthFilter() | LowercaseFilter() | CharsetFilter(accent_map)
            | StemFilter(stemfn=_stemmer(), cachesize=50000))


def text_analyzer():
    return _words(RegexTokenizer(r"\w+"))


class MultiValueTokenizer(Tokenizer):
    """Tokenizes each value of a list on its own, leaving a position gap between values."""

    def __init__(self, inner):
        self.inner = inner

    def __eq__(self, other):
        return isinstance(other, MultiValueTokenizer) and self.inner == other.inner

    def __call__(self, value, positions=False, start_pos=0, **kwargs):
        values = value if isinstance(value, (list, tuple)) else [value]
        pos = start_pos
        for item in values:
            last = pos - 1
            for token in self.inner(item, positions=positions, start_pos=pos, **kwargs):
                if positions:
                    last = token.pos
                yield token
            pos = last + 1 + VALUE_GAP


class ExactValuesTokenizer(Tokenizer):
    """Each value of a list (or the single value) is one token, unchanged."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        values = value if isinstance(value, (list, tuple)) else [value]
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for index, item in enumerate(values):
            token.text = item
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = item
            if positions:
                token.pos = start_pos + index * (1 + VALUE_GAP)
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(item)
            yield token


def multi_text_analyzer():
    return _words(MultiValueTokenizer(RegexTokenizer(r"\w+")))


_ANALYZER = None


def analyze(text):
    """The index terms of `text`, as both engines produce them."""
    global _ANALYZER
    if _ANALYZER is None:
        _ANALYZER = text_analyzer()
    return [token.text for token in _ANALYZER(text)]
