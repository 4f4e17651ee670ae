"""CKAN's weights: qf and mm as Solr reads them."""
import pytest

from catalog.logic.errors import SearchQueryError
from searchapi import weights


@pytest.mark.parametrize(
    "spec, optional, expected",
    [("2<-1 5<80%", 1, 1), ("2<-1 5<80%", 2, 2), ("2<-1 5<80%", 3, 2), ("2<-1 5<80%", 5, 4),
     ("2<-1 5<80%", 6, 4), ("2<-1 5<80%", 10, 8), ("75%", 3, 2), ("-25%", 3, 3), ("-1", 3, 2), ("5", 3, 3),
     ("0", 4, 0)],
)
def test_min_should_match_is_solrs(spec, optional, expected):
    assert weights.min_should_match(spec, optional) == expected


def test_query_fields_resolve_aliases_and_refuse_what_cannot_be_searched():
    assert weights.query_fields("name^4 tag^2 text") == (("name", 4.0), ("tags", 2.0), ("text", 1.0))
    for bad in ("data_dict", "nosuch", "title^0", "title^x", "{!lucene}title"):
        with pytest.raises(SearchQueryError):
            weights.query_fields(bad)


def test_mm_specs_are_checked():
    assert weights.check_mm(" 2 < -1  5<80% ") == "2<-1 5<80%"
    assert weights.check_mm("-1") == "-1"
    for bad in ("most", "2<", "50%%", "{!x}"):
        with pytest.raises(SearchQueryError):
            weights.check_mm(bad)
