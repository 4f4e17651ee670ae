"""Dataset read actions."""
import pytest

from catalog.logic.errors import NotFound, ValidationError
from tests.catalog.logic.factories import call, dataset, resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(make_user):
    return make_user()


def test_package_list_uses_ids_under_api_v2(alice):
    from catalog.logic import new_context
    from catalog.logic.registry import get_action

    pkg = dataset(alice)
    assert pkg["name"] in call("package_list", None)
    assert get_action("package_list")(new_context(api_version=2), {}) == [pkg["id"]]


def test_current_package_list_pages_newest_first(alice):
    first, second, third = dataset(alice), dataset(alice), dataset(alice)
    assert [p["name"] for p in call("current_package_list_with_resources", None, limit=2)] == [
        third["name"], second["name"]]
    assert [p["name"] for p in call("current_package_list_with_resources", None, limit=2, page=2)] == [
        first["name"]]
    with pytest.raises(ValidationError):
        call("current_package_list_with_resources", None, limit="many")


def test_show_of_an_unknown_dataset_is_not_found():
    with pytest.raises(NotFound):
        call("package_show", None, id="no-such-dataset")
    with pytest.raises(ValidationError):
        call("package_show", None)


def test_revision_show_of_an_unknown_revision_is_not_found():
    with pytest.raises(NotFound):
        call("revision_show", None, id="no-such-revision")


def test_relationships_list_filters_by_other_dataset_and_type(alice):
    a, b, c = dataset(alice), dataset(alice), dataset(alice)
    call("package_relationship_create", alice, subject=a["id"], object=b["id"], type="child_of")
    call("package_relationship_create", alice, subject=a["id"], object=c["id"], type="links_to")
    assert call("package_relationships_list", None, id=a["name"], id2=b["name"]) == [
        {"subject": a["name"], "type": "child_of", "object": b["name"], "comment": ""}]
    assert [r["object"] for r in call("package_relationships_list", None, id=a["name"], rel="links_to")] == [
        c["name"]]
    with pytest.raises(NotFound):
        call("package_relationships_list", None, id=a["name"], id2=c["name"], rel="child_of")


def test_autocompletes(alice):
    dataset(alice, name="river-flows", title="Water levels", resources=[resource("x", format="GeoJSON")])
    assert call("package_autocomplete", None, q="rive") == [{
        "name": "river-flows", "title": "Water levels", "match_field": "name", "match_displayed": "river-flows"}]
    assert call("package_autocomplete", None, q="water")[0]["match_displayed"] == "Water levels (river-flows)"
    assert call("format_autocomplete", None, q="json") == ["GeoJSON"]
    assert call("format_autocomplete", None) == []


def test_resource_show(alice):
    pkg = dataset(alice, resources=[resource("x")])
    shown = call("resource_show", None, id=pkg["resources"][0]["id"])
    assert (shown["url"], shown["package_id"]) == ("http://example.com/x.csv", pkg["id"])
    with pytest.raises(NotFound):
        call("resource_show", None, id="nope")


def test_an_id_wins_over_a_name_that_looks_like_it(alice):
    first = dataset(alice)
    impostor = dataset(alice, name=first["id"])
    assert call("package_show", None, id=first["id"])["name"] == first["name"]
    assert call("package_show", None, id=impostor["id"])["name"] == first["id"]
