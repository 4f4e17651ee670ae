"""Model API tag register and entity, over HTTP."""
import pytest

from tests.actionapi.rest.conftest import seg, unique
from tests.querycount import counted

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


def test_query_counts_are_fixed_whatever_the_number_of_tags_and_datasets(api, alice):
    made = []

    def read():
        register = counted(lambda: api.get("/api/rest/tag"))
        entity = counted(lambda: api.get("/api/2/rest/tag/common"))
        assert sorted(register[1].json()) == sorted({"common"} | {f"own{i}" for i in range(len(made))})
        assert sorted(entity[1].json()) == sorted(d["id"] for d in made)
        return register[0], entity[0]

    for i in range(2):
        made.append(api.create_dataset(alice, tags=["common", f"own{i}"]))
    few = read()
    for i in range(2, 12):
        made.append(api.create_dataset(alice, tags=["common", f"own{i}"]))
    many = read()
    assert few == many and max(many) <= 5, (few, many)
