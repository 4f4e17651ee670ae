"""Query translation: Solr syntax parsed once, rendered for Solr and for Whoosh with one meaning."""
import pytest

from catalog.logic.errors import SearchQueryError
from searchapi import query as q


def solr(text):
    return q.to_solr(q.parse(text))


def whoosh(text):
    return str(q.to_whoosh(q.parse(text)))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", "*:*"),
        ("*:*", "*:*"),
        ("water", "text:water"),
        ("water quality", "(+(text:water) +(text:quality))"),
        ('"water quality"', 'text:"water quality"'),
        ("tags:economy", 'tags:"economy"'),
        ('res_format:"CSV"', 'res_format:"CSV"'),
        ('title:"a b"', 'title:"a b"'),
        ("a OR b", "((text:a) (text:b))"),
        ("a -b", "(+(text:a) -(text:b))"),
        ("NOT b", "(+*:* -(text:b))"),
        ("a OR b c", "((text:a) (text:b) +(text:c))"),
        ("tags:(a OR b)", '((tags:"a") (tags:"b"))'),
        ("air-quality", "(+(text:air) +(text:quality))"),
        ("name:foo*", "name:foo*"),
        ("department:xyz", "extras_department:xyz"),
        ("x^2 \"y z\"", '(+((text:x)^2) +(text:"y z"))'),
        ("(a b)^0.5", "((+(text:a) +(text:b)))^0.5"),
        ("title:w?t*r", "title:w?t*r"),
        ("title:Wat*", "title:wat*"),
        ("a AND b", "(+(text:a) +(text:b))"),
        ("metadata_modified:[2020-01-01 TO *]", 'metadata_modified:["2020-01-01T00:00:00.000000Z" TO *]'),
        ("+tags:health", 'tags:"health"'),
    ],
)
def test_solr_rendering_is_explicit(text, expected):
    assert solr(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("water quality", "(text:water AND text:qualiti)"),
        ('"water quality"', 'text:"water qualiti"'),
        ("Industries", "text:industri"),
        ("Über", "text:uber"),
        ("tags:Economy", "tags:Economy"),
        ("a OR b c", "(text:c ANDMAYBE (text:a OR text:b))"),
        ("a -b", "(text:a ANDNOT text:b)"),
        ("NOT b", "(<_.Every 'None'> ANDNOT text:b)"),
    ],
)
def test_whoosh_rendering_analyses_like_solr(text, expected):
    rendered = whoosh(text)
    if "Every" in expected:
        assert rendered.endswith("ANDNOT text:b)")
    else:
        assert rendered == expected


@pytest.mark.parametrize(
    "text",
    ["a AND", "OR a", "(a", "a)", '"unbalanced', "tags:", "data_dict:x", "[a TO b]", "title:[a TO b]",
     "-", "{a TO", "x~2", '"y z"~3', "/reg.x/", "{!dismax qf=text}x", "title:^2"],
)
def test_malformed_queries_are_query_errors(text):
    with pytest.raises(SearchQueryError):
        q.parse(text)


def test_field_value_is_a_phrase_of_that_field():
    assert q.to_solr(q.field_value_node("title", "Gamma Ray")) == 'title:"Gamma Ray"'
    assert q.to_solr(q.field_value_node("tags", "river pollution")) == 'tags:"river pollution"'
    assert q.to_solr(q.field_value_node("department", "x")) == "extras_department:x"


def test_solr_special_characters_are_escaped_in_exact_values():
    assert q.to_solr(q.parse('tags:"a \\"b\\" c"')) == 'tags:"a \\"b\\" c"'
    assert q.to_solr(q.field_value_node("tags", 'x"y')) == 'tags:"x\\"y"'


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
        assert list(q.to_whoosh(q.parse("water -river")).docs(searcher)) == [2]


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
        hits = searcher.search(q.to_whoosh(q.parse("river", weights=default_weights())))
        assert [hit["index_id"] for hit in hits] == ["1", "0"]
        assert hits[0].score > 2 * hits[1].score


def test_whoosh_mm_keeps_documents_with_enough_of_the_optional_words():
    from searchapi.weights import Weights

    index = _ram_index({"text": "a b c"}, {"text": "a b"}, {"text": "a"}, {"text": "b c d"})
    for mm, expected in (("2<-1 5<80%", {"0", "1", "3"}), ("100%", {"0"}), ("1", {"0", "1", "2", "3"})):
        query = q.to_whoosh(q.parse("a b c", weights=Weights(fields=(("text", 1.0),), mm=mm)))
        with index.searcher() as searcher:
            assert {searcher.stored_fields(d)["index_id"] for d in query.docs(searcher)} == expected, mm


@pytest.mark.parametrize(
    "spec, optional, expected",
    [("2<-1 5<80%", 1, 1), ("2<-1 5<80%", 2, 2), ("2<-1 5<80%", 3, 2), ("2<-1 5<80%", 5, 4),
     ("2<-1 5<80%", 6, 4), ("2<-1 5<80%", 10, 8), ("75%", 3, 2), ("-25%", 3, 3), ("-1", 3, 2), ("5", 3, 3),
     ("0", 4, 0)],
)
def test_min_should_match_is_solrs(spec, optional, expected):
    from searchapi.weights import min_should_match

    assert min_should_match(spec, optional) == expected


def test_whoosh_filters_match_without_scoring_as_solrs_fq():
    index = _ram_index({"text": "a a a b"}, {"text": "b"})
    with index.searcher() as searcher:
        hits = searcher.search(q.whoosh_filter(q.parse("a")))
        assert [(hit["index_id"], hit.score) for hit in hits] == [("0", 0.0)]
