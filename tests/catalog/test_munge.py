"""Unit tests of catalog.munge: the spec's examples and the edges."""
import pytest

from catalog.logic.validators import name_errors, tag_errors
from catalog.munge import munge_name, munge_tag, munge_title_to_name


def test_spec_examples():
    assert munge_name("police spending figures 2009") == "police-spending-figures-2009"
    assert munge_title_to_name("police: spending figures 2009") == "police-spending-figures-2009"
    assert munge_tag("water quality") == "water-quality"


def test_long_title_keeps_its_year():
    title = "Annual report of the department for transport on road and rail infrastructure spending 2009 " * 2 + "2011"
    name = munge_title_to_name(title)
    assert name.endswith("-2011") and len(name) <= 100
    assert name_errors(name) == []


@pytest.mark.parametrize("text", ["a", "", "ÄÖÜ", "!!!", "x" * 300, "Čeština data 1999", "   "])
def test_results_are_always_valid_names(text):
    assert name_errors(munge_name(text)) == []
    assert name_errors(munge_title_to_name(text)) == []


@pytest.mark.parametrize("text", ["a", "Water Quality", "x" * 300, "ünïcödé tag", "a/b\\c"])
def test_munged_tags_are_valid(text):
    assert tag_errors(munge_tag(text)) == []
