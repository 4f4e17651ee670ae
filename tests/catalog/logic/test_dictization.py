"""Package dicts: their keys, the REST v1/v2 forms, and a fixed number of queries per read."""
import json

import pytest

from catalog.logic import new_context
from catalog.logic.dictization import package_dictize, package_queryset, package_to_rest
from catalog.models import PackageDictCache
from tests.catalog.logic.factories import call, dataset, resource

pytestmark = pytest.mark.django_db

ACTION_KEYS = {
    "id", "name", "title", "url", "version", "author", "author_email", "maintainer", "maintainer_email", "notes",
    "notes_rendered", "license_id", "license", "license_title", "license_url", "isopen", "type", "state",
    "revision_id", "revision_timestamp", "metadata_created", "metadata_modified", "resources", "tags", "groups",
    "extras", "relationships_as_subject", "relationships_as_object", "ratings_average", "ratings_count",
}
RESOURCE_KEYS = {
    "id", "url", "format", "description", "hash", "name", "resource_type", "mimetype", "mimetype_inner", "size",
    "last_modified", "cache_url", "cache_last_updated", "webstore_url", "webstore_last_updated", "position",
    "resource_group_id", "revision_id", "revision_timestamp", "package_id", "state",
}


@pytest.fixture
def alice(make_user):
    return make_user()


@pytest.fixture
def rich(alice):
    """A dataset with a bit of everything, and a second one it depends on."""
    other = dataset(alice)
    pkg = dataset(
        alice,
        title="Rich",
        notes="Some *notes*",
        license_id="cc-by",
        resources=[resource("a"), resource("b", alt_url="http://example.com/alt")],
        tags=[{"name": "zeta"}, {"name": "alpha beta"}],
        extras=[{"key": "k2", "value": "v2"}, {"key": "k1", "value": "v1"}],
    )
    call("package_relationship_create", alice, subject=pkg["name"], object=other["name"], type="depends_on")
    call("rating_create", alice, package=pkg["name"], rating=4)
    return pkg, other


def test_action_dict_has_exactly_the_documented_keys(rich):
    pkg, _ = rich
    shown = call("package_show", None, id=pkg["id"])
    assert set(shown) == ACTION_KEYS
    assert set(shown["resources"][0]) == RESOURCE_KEYS
    assert shown["resources"][1]["alt_url"] == "http://example.com/alt"
    assert [r["position"] for r in shown["resources"]] == [0, 1]
    assert [t["name"] for t in shown["tags"]] == ["alpha beta", "zeta"]
    assert {"id", "name", "state", "revision_timestamp"} <= set(shown["tags"][0])
    assert [(e["key"], e["value"]) for e in shown["extras"]] == [("k1", "v1"), ("k2", "v2")]
    assert shown["relationships_as_subject"][0]["type"] == "depends_on"
    assert (shown["license_title"], shown["isopen"]) == ("Creative Commons Attribution", True)
    assert "<em>notes</em>" in shown["notes_rendered"]
    assert (shown["ratings_average"], shown["ratings_count"]) == (4.0, 1)


@pytest.mark.parametrize("version, ref", [(1, "name"), (2, "id")])
def test_rest_dict_refers_by_name_in_v1_and_id_in_v2(rich, version, ref, settings):
    pkg, other = rich
    package = package_queryset().get(pk=pkg["id"])
    rest = package_to_rest(package, new_context(api_version=version))
    assert rest["tags"] == ["alpha beta", "zeta"]
    assert rest["extras"] == {"k1": "v1", "k2": "v2"}
    assert rest["relationships"] == [
        {"subject": pkg[ref], "type": "depends_on", "object": other[ref], "comment": ""}
    ]
    assert rest["ckan_url"] == f"{settings.CKAN_SITE_URL}/dataset/{pkg['name']}"
    assert ("download_url" in rest) == (version == 1)
    assert "revision_timestamp" not in rest and "relationships_as_subject" not in rest
    assert {"revision_id", "state"}.isdisjoint(rest["resources"][0])
    assert rest["resources"][0]["package_id"] == pkg["id"]


def test_relationships_are_inverted_from_the_object_side(rich):
    pkg, other = rich
    package = package_queryset().get(pk=other["id"])
    assert package_to_rest(package, new_context(api_version=1))["relationships"] == [
        {"subject": other["name"], "type": "dependency_of", "object": pkg["name"], "comment": ""}
    ]


def _grow(user, pkg, count):
    """Give `pkg` `count` of every child: resources, tags, extras, groups and relationships."""
    groups = [call("group_create", user, name=f"grp-{i}")["name"] for i in range(count)]
    others = [dataset(user)["name"] for _ in range(count)]
    data = call("package_show", None, id=pkg["id"])
    data["resources"] = [resource(f"r{i}") for i in range(count)]
    data["tags"] = [{"name": f"tag{i}"} for i in range(count)]
    data["extras"] = [{"key": f"k{i}", "value": str(i)} for i in range(count)]
    data["groups"] = [{"name": name} for name in groups]
    data["relationships_as_subject"] = [{"object": name, "type": "links_to"} for name in others]
    call("package_update", user, data)


@pytest.mark.parametrize("count", [1, 50])
def test_package_show_costs_a_fixed_number_of_queries(rich, alice, count, django_assert_max_num_queries):
    pkg, _ = rich
    _grow(alice, pkg, count)
    # From the stored dict (catalog.dict_cache): the dataset with its copy, and its roles.
    with django_assert_max_num_queries(2):
        shown = call("package_show", None, id=pkg["id"])
    assert [len(shown[key]) for key in ("resources", "tags", "extras", "groups")] == [count] * 4
    assert len(shown["relationships_as_subject"]) == count
    # Without a copy: those 2, the dataset prefetched (8), storing the copy (1, in a savepoint).
    PackageDictCache.objects.all().delete()
    with django_assert_max_num_queries(13):
        assert call("package_show", None, id=pkg["id"]) == shown
    with django_assert_max_num_queries(9):
        rest = call("package_show_rest", None, id=pkg["id"])
    assert len(rest["relationships"]) == count


@pytest.mark.parametrize("count", [1, 20])
def test_lists_do_not_query_per_package(alice, count, django_assert_max_num_queries):
    for i in range(count):
        dataset(alice, resources=[resource("x")], tags=[{"name": "shared"}])
    with django_assert_max_num_queries(9):
        listed = call("current_package_list_with_resources", None)
    assert len(listed) == count
    with django_assert_max_num_queries(2):
        assert len(call("package_list", None)) == count


def test_dictize_of_a_plain_package_has_empty_lists(alice):
    pkg = dataset(alice)
    shown = package_dictize(package_queryset().get(pk=pkg["id"]), new_context())
    assert (shown["resources"], shown["tags"], shown["extras"], shown["groups"]) == ([], [], [], [])
    assert shown["title"] == pkg["name"]
    assert (shown["ratings_average"], shown["ratings_count"], shown["isopen"]) == (None, 0, False)


def test_a_new_dataset_with_groups_and_relationships_is_stored_and_answered_whole(sysadmin):
    """package_create reads a new dataset back without the relations it cannot have yet:
    those its own write added must still be in its answer and stored copy."""
    group = call("group_create", sysadmin, name="new-ds-group", title="G")
    other = dataset(sysadmin, name="new-ds-partner")
    third = dataset(sysadmin, name="new-ds-third")
    created = dataset(
        sysadmin,
        name="new-ds-with-everything",
        groups=[{"name": group["name"]}],
        relationships_as_subject=[{"object": other["name"], "type": "depends_on", "comment": "c"}],
        relationships_as_object=[{"subject": third["name"], "type": "child_of"}],
        tags=[{"name": "tag-one"}],
    )
    fresh = package_dictize(package_queryset().get(pk=created["id"]), new_context())
    assert created == fresh
    assert [g["name"] for g in created["groups"]] == ["new-ds-group"]
    assert len(created["relationships_as_subject"]) == 1 and len(created["relationships_as_object"]) == 1
    assert json.loads(PackageDictCache.objects.get(package_id=created["id"]).data) == fresh
    # the partners' own copies show the relationship too
    assert call("package_show", None, id=other["id"]) == package_dictize(
        package_queryset().get(pk=other["id"]), new_context()
    )
    assert call("package_show", None, id=third["id"])["relationships_as_subject"]
