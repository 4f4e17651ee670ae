"""The stored package_show dicts: a read is cheap, and no write leaves one stale."""
import json

import pytest

from catalog import dict_cache
from catalog.logic import new_context
from catalog.logic.dictization import package_dictize, package_queryset
from catalog.models import Package, PackageDictCache, Tag
from catalog.revisions import revision
from tests.catalog.logic.factories import call, dataset, resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(make_user):
    return make_user()


def _fresh(pkg_id):
    """What package_show must answer: the dict built from the database now."""
    return package_dictize(package_queryset().get(pk=pkg_id), new_context())


def _show(pkg_id):
    return call("package_show", None, id=pkg_id)


def _stored(pkg_id):
    return PackageDictCache.objects.filter(pk=pkg_id).values_list("data", flat=True).first()


def test_a_show_after_a_write_is_answered_from_the_stored_dict(alice, django_assert_max_num_queries):
    pkg = dataset(alice, resources=[resource("a")], tags=[{"name": "t1"}], extras=[{"key": "k", "value": "v"}])
    assert _stored(pkg["id"]) is not None  # package_create's own answer stored it
    # The dataset (with its stored dict) and its roles: nothing per resource, tag, extra...
    with django_assert_max_num_queries(2):
        shown = _show(pkg["id"])
    assert shown == _fresh(pkg["id"]) == pkg
    with django_assert_max_num_queries(2):
        assert _show(pkg["name"]) == shown


def test_a_missing_copy_is_built_and_stored_by_the_read(alice):
    pkg = dataset(alice)
    PackageDictCache.objects.all().delete()
    assert _show(pkg["id"]) == _fresh(pkg["id"])
    assert _stored(pkg["id"]) is not None
    assert _show(pkg["id"]) == _fresh(pkg["id"])


def _assert_current(*pkg_ids):
    for pkg_id in pkg_ids:
        assert _show(pkg_id) == _fresh(pkg_id)


def test_dataset_and_child_writes_renew_the_copy(alice):
    pkg = dataset(alice, resources=[resource("a")])
    _show(pkg["id"])
    res_id = pkg["resources"][0]["id"]
    call("resource_update", alice, id=res_id, url="http://example.com/new.csv", format="CSV")
    assert _show(pkg["id"])["resources"][0]["url"] == "http://example.com/new.csv"
    data = _show(pkg["id"])
    data["title"] = "New title"
    data["tags"] = [{"name": "added"}]
    call("package_update", alice, data)
    shown = _show(pkg["id"])
    assert shown["title"] == "New title" and [t["name"] for t in shown["tags"]] == ["added"]
    _assert_current(pkg["id"])


def test_a_rating_renews_the_copy(alice):
    pkg = dataset(alice)
    assert _show(pkg["id"])["ratings_count"] == 0
    call("rating_create", alice, package=pkg["name"], rating=5)
    assert (_show(pkg["id"])["ratings_count"], _show(pkg["id"])["ratings_average"]) == (1, 5.0)


def test_a_group_change_renews_its_members_copies(alice):
    group = call("group_create", alice, name="grp-cache", title="Old")
    pkg = dataset(alice, groups=[{"name": "grp-cache"}])
    assert _show(pkg["id"])["groups"][0]["title"] == "Old"
    call("group_update_rest", alice, id=group["id"], title="New")
    assert _show(pkg["id"])["groups"][0]["title"] == "New"
    _assert_current(pkg["id"])


def test_relationships_renew_both_sides_and_a_deleted_partner_leaves_them(alice):
    a, b = dataset(alice), dataset(alice)
    _show(a["id"]), _show(b["id"])
    call("package_relationship_create", alice, subject=a["name"], object=b["name"], type="depends_on")
    assert len(_show(a["id"])["relationships_as_subject"]) == 1
    assert len(_show(b["id"])["relationships_as_object"]) == 1
    call("package_delete", alice, id=b["id"])
    # b is no longer active, so a's dict no longer shows the relationship.
    assert _show(a["id"])["relationships_as_subject"] == []
    _assert_current(a["id"])


def test_saves_outside_any_revision_clear_the_copy(alice):
    pkg = dataset(alice, tags=[{"name": "before"}])
    _show(pkg["id"])
    package = Package.objects.get(pk=pkg["id"])
    package.title = "Edited in the shell"
    package.save()
    assert _show(pkg["id"])["title"] == "Edited in the shell"
    tag = Tag.objects.get(name="before")
    tag.name = "after"
    tag.save()
    assert [t["name"] for t in _show(pkg["id"])["tags"]] == ["after"]


def test_a_read_that_raced_a_write_does_not_store_its_older_dict(alice):
    pkg = dataset(alice)
    PackageDictCache.objects.filter(pk=pkg["id"]).update(data=None)
    seen = PackageDictCache.objects.get(pk=pkg["id"]).version
    dict_cache.clear([pkg["id"]])  # a write commits between the read's lookup and its store
    dict_cache._store(pkg["id"], seen, "{}")
    assert _stored(pkg["id"]) is None
    # A read that found no row at all does not overwrite a row a write created meanwhile.
    PackageDictCache.objects.filter(pk=pkg["id"]).delete()
    written = dict_cache.store_written({pkg["id"]: {"written": True}})
    dict_cache._store(pkg["id"], None, "{}")
    assert _stored(pkg["id"]) == '{"written":true}'
    assert dict_cache.versions([pkg["id"]]) == written


def test_reads_inside_a_write_see_the_write(alice):
    pkg = dataset(alice)
    _show(pkg["id"])
    with revision(new_context(user=alice)):
        package = Package.objects.get(pk=pkg["id"])
        package.title = "Inside"
        package.save()
        assert _show(pkg["id"])["title"] == "Inside"
    assert _show(pkg["id"])["title"] == "Inside"


def test_a_failed_write_leaves_the_copy_as_it_was(alice):
    pkg = dataset(alice)
    before = _show(pkg["id"])
    stored = _stored(pkg["id"])
    with pytest.raises(RuntimeError):
        with revision(new_context(user=alice)):
            package = Package.objects.get(pk=pkg["id"])
            package.title = "Rolled back"
            package.save()
            raise RuntimeError
    assert _stored(pkg["id"]) == stored
    assert _show(pkg["id"]) == before


def test_find_package_loads_the_stored_copy_in_its_one_query(alice, django_assert_num_queries):
    created = dataset(alice, name="find-me")
    shown = _show(created["id"])
    with django_assert_num_queries(1):
        by_name = dict_cache.find_package("find-me")
        assert by_name.pk == created["id"] and by_name.name == "find-me"
        assert dict_cache.package_dict(by_name, lambda p: pytest.fail("built although stored")) == shown
    assert dict_cache.find_package(created["id"]).name == "find-me"
    assert dict_cache.find_package("nobody") is None and dict_cache.find_package("") is None


def test_find_package_without_a_stored_copy_builds_and_stores_it(alice):
    created = dataset(alice, name="no-copy")
    PackageDictCache.objects.filter(pk=created["id"]).delete()
    package = dict_cache.find_package("no-copy")
    assert dict_cache.package_dict(package, lambda p: {"built": p.name}) == {"built": "no-copy"}
    assert json.loads(_stored(created["id"])) == {"built": "no-copy"}

