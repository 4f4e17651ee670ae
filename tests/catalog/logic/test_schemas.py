"""validate_package and friends: CKAN 1.6's rules, errors naming each field."""
import pytest

from catalog.logic import new_context
from catalog.logic.errors import ValidationError
from catalog.logic.schemas import relationship_keys, validate_package, validate_rating
from catalog.models import Package


def errors_of(data, package=None):
    with pytest.raises(ValidationError) as info:
        validate_package(data, new_context(), package=package)
    return info.value.error_dict


@pytest.mark.django_db
def test_minimal_package_gets_its_name_as_title():
    assert validate_package({"name": "abc"}, new_context()) == {"name": "abc", "title": "abc"}


@pytest.mark.django_db
@pytest.mark.parametrize("name", [None, "", "a", "Has Spaces", "UPPER", "x" * 101, ["list"], {"a": 1}, True])
def test_bad_names_are_refused(name):
    assert errors_of({"name": name})["name"]


@pytest.mark.django_db
def test_a_number_is_a_name():
    assert validate_package({"name": 123}, new_context())["name"] == "123"


@pytest.mark.django_db
def test_a_taken_name_is_already_in_use():
    Package.objects.create(name="taken")
    assert errors_of({"name": "taken"}) == {"name": ["That URL is already in use."]}


@pytest.mark.django_db
def test_renaming_a_package_to_its_own_name_is_fine():
    package = Package.objects.create(name="mine")
    assert validate_package({"id": package.id, "name": "mine"}, new_context(), package=package)["name"] == "mine"


@pytest.mark.django_db
def test_id_is_refused_on_create_and_must_not_change_on_update():
    assert "id" in errors_of({"name": "abc", "id": "chosen"})
    package = Package.objects.create(name="mine")
    assert "id" in errors_of({"id": "other"}, package=package)


@pytest.mark.django_db
def test_unknown_keys_are_refused_by_name_and_read_only_keys_ignored():
    errors = errors_of({"name": "abc", "colour": "red", "ratings_average": 3, "notes_rendered": "<p>"})
    assert list(errors) == ["colour"]


@pytest.mark.django_db
def test_text_fields_must_be_text():
    errors = errors_of({"name": "abc", "title": ["x"], "notes": {"a": 1}, "version": "v" * 101})
    assert set(errors) == {"title", "notes", "version"}


@pytest.mark.django_db
@pytest.mark.parametrize("tag", ["tag with space", "dots.and-dashes_", "ünïcödé β", "ab"])
def test_tags_allowed_by_ckan_16(tag):
    assert validate_package({"name": "abc", "tags": [{"name": tag}]}, new_context())["tags"] == [tag]


@pytest.mark.django_db
@pytest.mark.parametrize("tag", ["a", "t" * 101, "semi;colon", "", None, 7, ["x"], {"n": 1}])
def test_bad_tags_are_refused_per_item(tag):
    errors = errors_of({"name": "abc", "tags": [{"name": "good"}, {"name": tag}]})
    assert errors["tags"][0] == {} and errors["tags"][1]["name"]


@pytest.mark.django_db
def test_nested_errors_name_the_item_and_field():
    errors = errors_of({
        "name": "abc",
        "resources": [{"url": "http://x"}, "not a dict", {"size": "big", "last_modified": "yesterday"}],
        "extras": [{"key": "", "value": "v"}, {"key": "name", "value": "v"}],
    })
    assert errors["resources"][0] == {}
    assert errors["resources"][1]
    assert set(errors["resources"][2]) == {"size", "last_modified"}
    assert errors["extras"][0]["key"] and errors["extras"][1]["key"]


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["resources", "tags", "extras", "groups", "relationships_as_subject"])
def test_lists_must_be_lists(field):
    assert errors_of({"name": "abc", field: "not a list"})[field]


@pytest.mark.django_db
def test_resource_keys_outside_the_core_become_extras():
    cleaned = validate_package(
        {"name": "abc", "resources": [{"url": "u", "size": "12", "alt_url": "a", "position": 9, "package_id": "p"}]},
        new_context(),
    )
    assert cleaned["resources"] == [{"url": "u", "size": 12, "extras": {"alt_url": "a"}}]


@pytest.mark.django_db
def test_null_extra_value_means_delete():
    cleaned = validate_package({"name": "abc", "extras": [{"key": "k", "value": None}]}, new_context())
    assert cleaned["extras"] == [{"key": "k", "value": None}]


@pytest.mark.django_db
def test_unknown_relationship_type_is_refused():
    errors = errors_of({"name": "abc", "relationships_as_subject": [{"object": "x", "type": "cousin_of"}]})
    assert errors["relationships_as_subject"][0]["type"]


def test_relationship_keys_in_either_spelling():
    assert relationship_keys({"subject": "a", "object": "b", "type": "links_to"}) == ("a", "b", "links_to", "")
    assert relationship_keys({"id": "a", "id2": "b", "rel": "links_to", "comment": "c"}) == ("a", "b", "links_to", "c")
    with pytest.raises(ValidationError) as info:
        relationship_keys({"id": "a", "id2": ["b"], "rel": "cousin_of"})
    assert set(info.value.error_dict) == {"object", "type"}


@pytest.mark.parametrize("rating", [0, 6, 4.5, "x", None, True, [3]])
def test_ratings_outside_1_to_5_are_refused(rating):
    with pytest.raises(ValidationError) as info:
        validate_rating({"package": "p", "rating": rating})
    assert "rating" in info.value.error_dict


def test_rating_names_the_dataset_under_either_key():
    assert validate_rating({"dataset": "p", "rating": "3"}) == ("p", 3)
    assert validate_rating({"package": "p", "rating": 5}) == ("p", 5)


@pytest.mark.django_db
def test_short_text_columns_have_their_length_checked():
    assert set(errors_of({"name": "abc", "type": "t" * 101, "license_id": "l" * 101})) == {"type", "license_id"}
