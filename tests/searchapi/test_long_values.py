"""Values longer than an index term may be (Lucene: 32,766 UTF-8 bytes) are indexed all the same,
on both engines: the dataset is found by its other words, and search answers what show answers.

Words longer than MAX_TOKEN_LENGTH are left out of the index (Solr's LengthFilter; the Whoosh
chain drops them too); exact values (resource URLs, formats, the title's sort key) are cut to
MAX_EXACT_BYTES. Before, Solr refused the whole document ("immense term"), the write's index
update stayed pending for ever and search disagreed with show.
"""
import pytest

from searchapi import engine, params
from searchapi.analysis import MAX_TOKEN_LENGTH, analyze
from searchapi.models import PendingIndex
from searchapi.search_indexes import MAX_EXACT_BYTES, document_for
from tests.searchapi.conftest import unique_word

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

ASTRAL = "\U0001d518"  # 4 UTF-8 bytes, 2 UTF-16 units (what Lucene counts)


def found(q, **extra):
    request = params.package_search_request({"q": q, "rows": 1000, **extra})
    return sorted(doc["name"] for doc in engine.search(request).docs)


def test_a_dataset_with_immense_words_and_values_is_indexed(make_dataset, act):
    token, other = unique_word(), unique_word()
    created = make_dataset(
        title=f"{ASTRAL * 20_000} {token}",
        notes=f"{'a' * 100_000} {other}",
        author_email="x" * 40_000,
        tags=[{"name": token}],
        extras=[{"key": "department", "value": f"{'b' * 50_000} {other}"}],
        resources=[{"url": "http://example.com/" + "c" * 100_000, "format": ASTRAL * 10_000,
                    "description": f"{ASTRAL * 9_000} {other}"}],
    )
    assert PendingIndex.objects.count() == 0
    assert found(token) == [created["name"]]
    assert found(other) == [created["name"]]
    assert found(f"department:{other}") == [created["name"]]
    assert found(f"tags:{token}") == [created["name"]]
    result = act("package_search", q=token)
    assert result["results"] == [act("package_show", id=created["id"])]


def test_words_up_to_the_limit_are_searchable(make_dataset):
    longest = unique_word() + "z" * (MAX_TOKEN_LENGTH - 12)
    assert len(longest) == MAX_TOKEN_LENGTH
    created = make_dataset(notes=f"the {longest} word")
    assert found(longest) == [created["name"]]
    assert found(f'"the {longest} word"') == [created["name"]]


def test_the_analyzer_counts_as_lucene_does():
    """In UTF-16 units, before lower-casing: a 128-character astral word is 256 units."""
    assert analyze("x" * MAX_TOKEN_LENGTH) == ["x" * MAX_TOKEN_LENGTH]
    assert analyze("x" * (MAX_TOKEN_LENGTH + 1) + " kept") == ["kept"]
    assert analyze(ASTRAL * 127) == [ASTRAL * 127]
    assert analyze(ASTRAL * 128 + " kept") == ["kept"]


def test_exact_values_are_cut_at_a_character_boundary():
    doc = document_for({"id": "x", "name": "x", "title": ASTRAL * 10_000,
                        "resources": [{"url": "u" * 40_000, "format": "CSV"}], "tags": [], "extras": []})
    assert doc["title"] == ASTRAL * 10_000  # analysed text keeps it all
    assert doc["title_string"] == ASTRAL * (MAX_EXACT_BYTES // 4)
    assert doc["res_url"] == ["u" * MAX_EXACT_BYTES]
    assert doc["res_format"] == ["CSV"]
