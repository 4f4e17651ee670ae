"""Model API tag register and entity, over HTTP."""
import pytest

from tests.actionapi.rest.conftest import seg, unique

pytestmark = pytest.mark.django_db


def test_register_lists_tags(api, alice):
    tag = unique("tag")
    api.create_dataset(alice, tags=[tag])
    assert tag in api.get("/api/rest/tag").json()


def test_entity_lists_datasets_by_version_reference(api, alice):
    tag = f"river flow β {unique('t')}"
    dataset = api.create_dataset(alice, tags=[tag])
    assert api.get(f"/api/rest/tag/{seg(tag)}").json() == [dataset["name"]]
    assert api.get(f"/api/2/rest/tag/{seg(tag)}").json() == [dataset["id"]]


def test_unknown_tag_is_404(api):
    assert api.get("/api/rest/tag/no-such-tag").status_code == 404


def test_query_counts_are_bounded(api, alice, django_assert_max_num_queries):
    for i in range(3):
        api.create_dataset(alice, tags=["common", f"own{i}"])
    with django_assert_max_num_queries(5):
        api.get("/api/rest/tag")
    with django_assert_max_num_queries(5):
        assert len(api.get("/api/2/rest/tag/common").json()) == 3
