"""Whoosh rendering: matching and scoring as Solr's, on small in-memory indexes."""
from searchapi import query as q
from searchapi.whoosh_query import to_whoosh, whoosh_filter


def _ram_index(*docs):
    """A Whoosh index of `docs` in one segment (as rebuild_index writes it)."""
    from whoosh.filedb.filestore import RamStorage

    from searchapi.backends import whoosh_schema

    index = RamStorage().create_index(whoosh_schema())
    writer = index.writer()
    for number, doc in enumerate(docs):
        writer.add_document(index_id=str(number), **doc)
    writer.commit()
    return index


def test_whoosh_free_text_scores_each_document_by_its_own_fields():
    """Whoosh's own DisjunctionMaxMatcher took the best score of its sub-matchers even when they
    stood on other documents: a notes-only match scored as the next document's title match."""
    from searchapi.weights import default_weights

    index = _ram_index({"text": "river river river flows"}, {"title": "River", "text": "River flows"})
    with index.searcher() as searcher:
        hits = searcher.search(to_whoosh(q.parse("river", weights=default_weights())))
        assert [hit["index_id"] for hit in hits] == ["1", "0"]
        assert hits[0].score > 2 * hits[1].score


def test_whoosh_mm_keeps_documents_with_enough_of_the_optional_words():
    from searchapi.weights import Weights

    index = _ram_index({"text": "a b c"}, {"text": "a b"}, {"text": "a"}, {"text": "b c d"})
    for mm, expected in (("2<-1 5<80%", {"0", "1", "3"}), ("100%", {"0"}), ("1", {"0", "1", "2", "3"})):
        query = to_whoosh(q.parse("a b c", weights=Weights(fields=(("text", 1.0),), mm=mm)))
        with index.searcher() as searcher:
            assert {searcher.stored_fields(d)["index_id"] for d in query.docs(searcher)} == expected, mm


def test_whoosh_exclusion_checks_the_first_match_too():
    from whoosh.filedb.filestore import RamStorage

    from searchapi.backends import whoosh_schema

    index = RamStorage().create_index(whoosh_schema())
    writer = index.writer()
    writer.add_document(index_id="0", text="river")
    writer.add_document(index_id="1", text="water river")
    writer.add_document(index_id="2", text="water")
    writer.commit()
    with index.searcher() as searcher:
        assert list(to_whoosh(q.parse("water -river")).docs(searcher)) == [2]


def test_whoosh_filters_match_without_scoring_as_solrs_fq():
    index = _ram_index({"text": "a a a b"}, {"text": "b"})
    with index.searcher() as searcher:
        hits = searcher.search(whoosh_filter(q.parse("a")))
        assert [(hit["index_id"], hit.score) for hit in hits] == [("0", 0.0)]
