"""catalog/logic/validators.py: the shared rules for names, tags, versions, emails, passwords, keys, ratings, text."""
import pytest

from catalog.logic import validators as v


@pytest.mark.parametrize("name", ["ab", "a-b_c", "dataset-2012", "x" * 100, "00", "__"])
def test_valid_names(name):
    assert v.name_errors(name) == []


@pytest.mark.parametrize(
    "name, fragment",
    [
        ("a", "at least 2"),
        ("", "at least 2"),
        ("x" * 101, "maximum of 100"),
        ("Upper", "lowercase"),
        ("has space", "lowercase"),
        ("dot.name", "lowercase"),
        ("naïve", "lowercase"),
        ("new", "reserved"),
        ("edit", "reserved"),
        ("search", "reserved"),
    ],
)
def test_invalid_names(name, fragment):
    errors = v.name_errors(name)
    assert errors and any(fragment in e for e in errors), errors


def test_a_short_uppercase_name_gets_both_messages():
    assert len(v.name_errors("A")) == 2


@pytest.mark.parametrize("value", [None, 12, ["ab"], {"a": 1}, True])
def test_a_name_must_be_a_string(value):
    assert v.name_errors(value) == ["Must be a string"]


@pytest.mark.parametrize("tag", ["ab", "with space", "dots.ok", "dash-and_underscore", "Capital", "über", "日本語", "t" * 100])
def test_valid_tags(tag):
    assert v.tag_errors(tag) == []


@pytest.mark.parametrize(
    "tag, fragment",
    [("a", "less than minimum 2"), ("t" * 101, "more than maximum 100"), ("semi;colon", "alphanumeric"),
     ("quote\"d", "alphanumeric"), ("slash/tag", "alphanumeric"), ("comma,tag", "alphanumeric")],
)
def test_invalid_tags(tag, fragment):
    errors = v.tag_errors(tag)
    assert errors and any(fragment in e for e in errors), errors


def test_a_tag_must_be_a_string():
    assert v.tag_errors(5) == ["Tag must be a string"]


@pytest.mark.parametrize("version", [None, "", "1.0", "2012-01-01", "v" * 100])
def test_valid_versions(version):
    assert v.version_errors(version) == []


@pytest.mark.parametrize("version", ["v" * 101, 1.0, ["1"]])
def test_invalid_versions(version):
    assert v.version_errors(version)


@pytest.mark.parametrize("email", [None, "", "a@b", "someone@example.org", " padded@example.org "])
def test_valid_emails(email):
    assert v.email_errors(email) == []


@pytest.mark.parametrize("email", ["no-at-sign", "two@@signs", "spa ce@example.org", "@example.org", "user@", 42])
def test_invalid_emails(email):
    assert v.email_errors(email)


@pytest.mark.parametrize("password, ok", [("abcd", True), ("a long password", True), ("abc", False), ("", False), (None, False), (1234, False)])
def test_passwords(password, ok):
    assert (v.password_errors(password) == []) is ok


@pytest.mark.parametrize("key, ok", [("source", True), ("k" * 200, True), ("k" * 201, False), ("", False), ("   ", False), (None, False), (3, False)])
def test_extra_keys(key, ok):
    assert (v.extra_key_errors(key) == []) is ok


@pytest.mark.parametrize("rating", [1, 3, 5, "4", 2.0, "5.0"])
def test_valid_ratings(rating):
    assert v.rating_errors(rating) == []


@pytest.mark.parametrize("rating", [0, 6, -1, 2.5, "x", None, [], True, False, "nan", float("inf")])
def test_invalid_ratings(rating):
    assert v.rating_errors(rating)


@pytest.mark.parametrize("value, ok", [(None, True), ("text", True), (3, True), (2.5, True), (True, False), ([], False), ({}, False)])
def test_text(value, ok):
    assert (v.text_errors(value) == []) is ok


def test_text_can_refuse_null():
    assert v.text_errors(None, allow_none=False) == ["Must be a string"]
