"""The query tree (`searchapi.query`) as Whoosh query objects, meaning what Solr reads.

Analysis is applied here as the index applies it (`searchapi.analysis`); free
text is scored as Solr's dismax scores it (best field plus tie times the
others, minimum-should-match), and filters match without scoring, as fq.
"""
from collections import Counter

from whoosh import query as wq
from whoosh.matching import AndNotMatcher, IntersectionMatcher, ListMatcher, NullMatcher, UnionMatcher, WrappingMatcher

from searchapi.query import (
    MUST, MUST_NOT, SHOULD, Bool, Boosted, Exact, Exists, FreeText, MatchAll, Phrase, Prefix, Range, Wildcard, Word,
    is_exact,
)


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
