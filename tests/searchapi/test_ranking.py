"""Ranking rules of package_search, as a user sees them over HTTP: CKAN's field weights.

Not exact scores: which dataset comes first, and which match at all. Runs on
the configured engine (Whoosh in `make test`; CI runs the `engine` tests again
on Solr 9). Every dataset carries words made for its test, so other datasets
in a shared Solr core neither match nor change the order.
"""
import pytest

from tests.searchapi.conftest import unique_word

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

FILLER = "Figures gathered by the statistics office every quarter since the programme began."


def search(client, status=200, **params):
    response = client.get("/api/action/package_search", params)
    assert response.status_code == status, response.content
    return response.json()


def names(client, **params):
    return [r["name"] for r in search(client, **params)["result"]["results"]]


@pytest.fixture(autouse=True)
def ckan_status_codes(settings):
    settings.CKAN_ACTION_API_STATUS_CODES = True


def test_title_ranks_above_tags_above_notes_even_with_the_word_three_times(client, make_dataset):
    word = unique_word()
    # Created and named worst first, so that neither tie-break (newest first, or name) gives the expected order.
    notes = make_dataset(name=f"a-{word}", title="Quarterly returns", notes=f"{word} {FILLER} {word}, {word}.")
    tagged = make_dataset(name=f"b-{word}", title="Annual returns", notes=FILLER, tags=[{"name": word}])
    # A two-word title: on Solr 5 (classic similarity) a title of n words weighs about 4/sqrt(n)
    # against a tag's 2, so from four words on, a tag match ties or wins there, as in CKAN.
    titled = make_dataset(name=f"c-{word}", title=f"{word} returns", notes=FILLER)
    expected = [titled["name"], tagged["name"], notes["name"]]
    assert names(client, q=word) == expected
    assert names(client, q=word, sort="score desc, name asc") == expected


def test_the_name_weighs_as_the_title(client, make_dataset):
    word = unique_word()
    named = make_dataset(name=word, title="Monthly returns", notes=FILLER)
    notes = make_dataset(title="Monthly returns", notes=f"{word} {word} {FILLER}")
    assert names(client, q=word) == [named["name"], notes["name"]]


def test_two_words_need_both(client, make_dataset):
    one, two = unique_word(), unique_word()
    both = make_dataset(title="Returns", notes=f"{FILLER} {two} and {one}")
    make_dataset(title=f"{one} returns", notes=FILLER)
    make_dataset(title=f"{two} returns", notes=FILLER, tags=[{"name": two}])
    assert names(client, q=f"{one} {two}") == [both["name"]]


def test_three_words_need_two_as_ckans_mm_says_and_mm_can_ask_for_all(client, make_dataset):
    one, two, three = unique_word(), unique_word(), unique_word()
    all_three = make_dataset(title=f"{one} {two} {three}")
    two_of_them = make_dataset(title="Returns", notes=f"{one} {FILLER} {three}")
    make_dataset(title=f"{one} returns", notes=FILLER)
    query = f"{one} {two} {three}"
    assert names(client, q=query) == [all_three["name"], two_of_them["name"]]
    assert names(client, q=query, mm="100%") == [all_three["name"]]


def test_a_phrase_needs_the_phrase(client, make_dataset):
    one, two = unique_word(), unique_word()
    phrase = make_dataset(title="Returns", notes=f"{FILLER} {one} {two}.")
    make_dataset(title=f"{two} {one}", notes=FILLER)
    make_dataset(title=f"{one} returns {two}", notes=FILLER)
    assert names(client, q=f'"{one} {two}"') == [phrase["name"]]


def test_a_phrase_in_the_title_ranks_above_one_in_the_notes(client, make_dataset):
    one, two = unique_word(), unique_word()
    titled = make_dataset(title=f"Returns: {one} {two}", notes=FILLER)
    notes = make_dataset(title="Returns", notes=f"{one} {two}. {FILLER} {one} {two}.")
    assert names(client, q=f'"{one} {two}"') == [titled["name"], notes["name"]]


def test_a_boosted_term_moves_its_datasets_up(client, make_dataset):
    one, two = unique_word(), unique_word()
    first = make_dataset(title=f"{one} returns", notes=FILLER)
    second = make_dataset(title=f"{two} returns", notes=FILLER)
    assert names(client, q=f"{one}^20 OR {two}") == [first["name"], second["name"]]
    assert names(client, q=f"{one} OR {two}^20") == [second["name"], first["name"]]
    assert names(client, q=f"title:{one} OR title:{two}^20") == [second["name"], first["name"]]


def test_a_fielded_query_searches_that_field_only(client, make_dataset):
    word = unique_word()
    titled = make_dataset(title=f"{word} returns", notes=FILLER)
    make_dataset(title="Returns", notes=f"{word} {FILLER}")
    assert names(client, q=f"title:{word}") == [titled["name"]]


def test_qf_chooses_the_fields_and_their_weights(client, make_dataset):
    word = unique_word()
    titled = make_dataset(title=f"{word} returns", notes=FILLER)
    notes = make_dataset(title="Returns", notes=f"{word} {FILLER}")
    assert names(client, q=word, qf="title") == [titled["name"]]
    assert names(client, q=word, qf="notes^10 title") == [notes["name"], titled["name"]]
    # The Lucene parser searches the default field, whatever qf says.
    assert sorted(names(client, q=word, defType="lucene", qf="title")) == sorted([notes["name"], titled["name"]])


@pytest.mark.parametrize("query", ["WORD~", "WORD~1", '"WORD returns"~2', "/WORD.*/"])
def test_fuzzy_proximity_and_regex_are_refused_not_dropped(client, make_dataset, query):
    word = unique_word()
    make_dataset(title=f"{word} returns")
    body = search(client, status=400, q=query.replace("WORD", word))
    assert body["error"]["__type"] == "Search Query Error"
    assert "not supported" in body["error"]["message"]


def test_wildcards_match_as_prefixes_and_patterns(client, make_dataset):
    word = unique_word() + "x"  # wildcards match index terms, i.e. stems: no English suffix ends in x
    dataset = make_dataset(title=f"{word} returns")
    assert names(client, q=f"{word[:-3]}*") == [dataset["name"]]
    assert names(client, q=f"{word[:-3]}?{word[-2:]}") == [dataset["name"]]
    assert names(client, q=f"title:{word[:4]}*{word[-2:]}") == [dataset["name"]]


@pytest.mark.parametrize(
    "params, named",
    [
        ({"qf": "title^4 nosuchfield"}, "nosuchfield"),
        ({"qf": "title^-1"}, "qf"),
        ({"qf": "data_dict"}, "data_dict"),
        ({"qf": "{!lucene}title"}, "qf"),
        ({"mm": "most"}, "mm"),
        ({"defType": "func"}, "defType"),
        ({"q": "{!lucene df=notes}x"}, "Local parameters"),
    ],
)
def test_bad_ranking_parameters_are_a_400_naming_them(client, params, named):
    body = search(client, status=400, **{"q": "water", **params})
    assert body["error"]["__type"] == "Search Query Error"
    assert named in body["error"]["message"]
