"""Dataset create actions: one revision per write, nothing left behind by a failed one."""
import pytest
from reversion.models import Version

from catalog.logic.errors import NotAuthorized, NotFound, ParameterError, ValidationError
from catalog.models import Package, PackageExtra, PackageTag, Rating, Resource, Revision, RoleAssignment, Tag
from tests.catalog.logic.factories import call, dataset, resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(make_user):
    return make_user()


def row_counts():
    models = (Package, Resource, Tag, PackageTag, PackageExtra, RoleAssignment, Revision, Version)
    return [model.objects.count() for model in models]


def test_create_makes_one_revision_with_author_and_message(alice):
    before = Revision.objects.count()
    pkg = dataset(alice, log_message="First version", tags=[{"name": "one"}], resources=[resource("a")])
    assert Revision.objects.count() == before + 1
    rev = Revision.objects.get(pk=pkg["revision_id"])
    assert (rev.author, rev.message) == (alice.name, "First version")
    assert list(rev.packages.values_list("name", flat=True)) == [pkg["name"]]
    assert pkg["resources"][0]["revision_id"] == rev.id


def test_failed_create_leaves_no_rows_and_no_revision(sysadmin):
    before = row_counts()
    chosen = "6f1c2b1e-7a0e-4a3e-9c52-0d7b8e1f2a33"
    with pytest.raises(ValidationError):
        # The second resource's id is refused only once the dataset row is written.
        dataset(
            sysadmin,
            tags=[{"name": "brand-new-tag"}],
            resources=[resource("a", id=chosen), resource("b", id=chosen)],
            extras=[{"key": "k", "value": "v"}],
        )
    assert row_counts() == before


def test_invalid_create_writes_nothing(alice):
    before = row_counts()
    with pytest.raises(ValidationError) as info:
        dataset(alice, name="Bad Name", tags=[{"name": "x"}])
    assert set(info.value.error_dict) == {"name", "tags"}
    assert row_counts() == before


def test_creator_becomes_admin(alice):
    pkg = dataset(alice)
    assert RoleAssignment.objects.filter(package_id=pkg["id"], user=alice, role="admin").exists()


def test_anonymous_cannot_create():
    with pytest.raises(NotAuthorized):
        call("package_create", None, name="anon-ds")


def test_create_validate_does_not_create(alice):
    before = row_counts()
    result = call("package_create_validate", alice, name="checked", tags=["a b"])
    assert (result["name"], result["tags"]) == ("checked", [{"name": "a b"}])
    assert row_counts() == before


def test_create_rest_speaks_the_model_api(alice):
    result = call("package_create_rest", alice, name="rest-ds", tags=["t1"], extras={"k": "v"},
                  download_url="http://example.com/d")
    assert (result["tags"], result["extras"]) == (["t1"], {"k": "v"})
    assert [r["url"] for r in result["resources"]] == ["http://example.com/d"]


def test_resource_create_appends_a_resource(alice):
    pkg = dataset(alice, resources=[resource("a")])
    created = call("resource_create", alice, package_id=pkg["name"], url="http://example.com/b", format="CSV")
    assert created["position"] == 1
    shown = call("package_show", None, id=pkg["id"])
    assert [r["url"] for r in shown["resources"]] == ["http://example.com/a.csv", "http://example.com/b"]
    assert shown["revision_id"] == created["revision_id"]


def test_resource_create_for_an_unknown_dataset_is_not_found(alice):
    with pytest.raises(NotFound):
        call("resource_create", alice, package_id="nope", url="http://x")


@pytest.mark.parametrize("rel_type, stored, inverse", [
    ("depends_on", "depends_on", "dependency_of"),
    ("dependency_of", "depends_on", "depends_on"),
    ("derives_from", "derives_from", "has_derivation"),
    ("has_derivation", "derives_from", "derives_from"),
    ("child_of", "child_of", "parent_of"),
    ("parent_of", "child_of", "child_of"),
    ("links_to", "links_to", "linked_from"),
    ("linked_from", "links_to", "links_to"),
])
def test_relationship_types_are_four_stored_pairs(alice, rel_type, stored, inverse):
    a, b = dataset(alice), dataset(alice)
    result = call("package_relationship_create", alice, id=a["name"], id2=b["name"], rel=rel_type, comment="c")
    assert result == {"subject": a["name"], "type": rel_type, "object": b["name"], "comment": "c"}
    assert [r["type"] for r in call("package_relationships_list", None, id=a["name"])] == [rel_type]
    assert [r["type"] for r in call("package_relationships_list", None, id=b["name"])] == [inverse]
    shown = call("package_show", None, id=a["id"])
    stored_rels = shown["relationships_as_subject"] + shown["relationships_as_object"]
    assert [r["type"] for r in stored_rels] == [stored]


def test_relating_again_updates_the_comment(alice):
    a, b = dataset(alice), dataset(alice)
    call("package_relationship_create", alice, subject=a["id"], object=b["id"], type="links_to", comment="1")
    call("package_relationship_create", alice, subject=a["id"], object=b["id"], type="links_to", comment="2")
    assert [r["comment"] for r in call("package_relationships_list", None, id=a["id"])] == ["2"]


def test_unknown_relationship_type_is_a_validation_error(alice):
    a, b = dataset(alice), dataset(alice)
    with pytest.raises(ValidationError) as info:
        call("package_relationship_create", alice, subject=a["id"], object=b["id"], type="cousin_of")
    assert "type" in info.value.error_dict


def test_anonymous_cannot_relate(alice):
    a, b = dataset(alice), dataset(alice)
    with pytest.raises(NotAuthorized):
        call("package_relationship_create", None, subject=a["id"], object=b["id"], type="links_to")


def test_rerating_replaces_and_users_are_averaged(alice, make_user):
    pkg = dataset(alice)
    call("rating_create", alice, package=pkg["name"], rating=5)
    call("rating_create", alice, package=pkg["name"], rating=1)
    result = call("rating_create", make_user(), dataset=pkg["name"], rating=4)
    assert result == {"rating average": 2.5, "rating count": 2}
    assert Rating.objects.filter(package_id=pkg["id"]).count() == 2


def test_anonymous_cannot_rate(alice):
    pkg = dataset(alice)
    with pytest.raises(NotAuthorized):
        call("rating_create", None, package=pkg["name"], rating=3)


@pytest.mark.parametrize("rating", [0, 6, "five"])
def test_out_of_range_rating_is_a_validation_error(alice, rating):
    pkg = dataset(alice)
    with pytest.raises(ValidationError):
        call("rating_create", alice, package=pkg["name"], rating=rating)


@pytest.mark.parametrize("field, value", [
    ("resources", ["should_be_a_dict"]), ("resources", {"url": "x"}), ("tags", {"a": 1}), ("groups", "grp"),
    ("extras", "k=v"),
])
def test_create_rest_with_a_malformed_structure_is_a_parameter_error(alice, field, value):
    before = row_counts()
    with pytest.raises(ParameterError) as info:
        call("package_create_rest", alice, name="shape", **{field: value})
    assert field in info.value.message
    assert row_counts() == before


def test_a_name_taken_by_a_concurrent_write_is_a_validation_error(alice, monkeypatch):
    from catalog.logic.action import _packages

    taken = dataset(alice)
    monkeypatch.setattr(_packages, "validate_package", lambda data, context, package=None: {"name": taken["name"]})
    before = row_counts()
    with pytest.raises(ValidationError) as info:
        call("package_create", alice, name=taken["name"])
    assert info.value.error_dict == {"name": ["That URL is already in use."]}
    assert row_counts() == before
