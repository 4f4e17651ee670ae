"""Query translation: Solr syntax parsed once, rendered for Solr and for Whoosh with one meaning."""
import pytest

from catalog.logic.errors import SearchQueryError
from searchapi import query as q
from searchapi.solr_query import to_solr
from searchapi.whoosh_query import to_whoosh


def solr(text):
    return to_solr(q.parse(text))


def whoosh(text):
    return str(to_whoosh(q.parse(text)))


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
        ("a && b || c", "(+(text:a) (text:b) (text:c))"),  # Lucene: no precedence
        ("a !b", "(+(text:a) -(text:b))"),
        ("O'Brien <data>", "(+((+(text:O) +(text:Brien))) +(text:data))"),
        ('"a && !b"', 'text:"a b"'),
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
    assert to_solr(q.field_value_node("title", "Gamma Ray")) == 'title:"Gamma Ray"'
    assert to_solr(q.field_value_node("tags", "river pollution")) == 'tags:"river pollution"'
    assert to_solr(q.field_value_node("department", "x")) == "extras_department:x"


def test_solr_special_characters_are_escaped_in_exact_values():
    assert to_solr(q.parse('tags:"a \\"b\\" c"')) == 'tags:"a \\"b\\" c"'
    assert to_solr(q.field_value_node("tags", 'x"y')) == 'tags:"x\\"y"'
