"""catalog.readback reads a dataset back exactly as package_queryset() does, in fewer Python steps.

The write path builds every stored dict from it (catalog.changes), so a difference
would put a wrong dict in package_show and search. The property test of the write
path (test_change_set_property.py) compares those stored dicts with fresh ORM builds
after random writes; here, one dataset with every kind of row, inactive ones too.
"""
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from catalog import readback
from catalog.logic.dictization import OPTIONAL_PREFETCHES, RELATIONS, known_empty, package_dictize, package_queryset
from tests.catalog.logic.factories import call, dataset, resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich(sysadmin, make_user):
    """A dataset with resources, tags, extras, groups and relationships (some deleted) and ratings."""
    groups = [call("group_create", sysadmin, name=f"rb-{name}", title=name.title()) for name in ("b", "a", "c")]
    partners = [dataset(sysadmin, title=f"Partner {i}") for i in range(3)]
    ds = dataset(
        sysadmin,
        title="Rich",
        resources=[resource("z"), resource("a", name="first"), resource("m")],
        tags=[{"name": "zebra"}, {"name": "apple"}, {"name": "mango"}],
        extras=[{"key": "zz", "value": "1"}, {"key": "aa", "value": "2"}, {"key": "gone", "value": "3"}],
        groups=[{"name": g["name"]} for g in groups],
    )
    for partner, kind in zip(partners, ("child_of", "depends_on", "child_of")):
        call("package_relationship_create", sysadmin, subject=ds["id"], object=partner["id"], type=kind)
    call("package_relationship_create", sysadmin, subject=partners[0]["id"], object=ds["id"], type="links_to")
    shown = call("package_show", sysadmin, id=ds["id"])
    shown["extras"] = [e for e in shown["extras"] if e["key"] != "gone"]
    shown["resources"] = shown["resources"][:2]
    call("package_update", sysadmin, shown)
    call("group_delete", sysadmin, id=groups[2]["id"])
    call("package_delete", sysadmin, id=partners[2]["id"])
    for i, value in enumerate((3, 4, 5)):
        call("rating_create", make_user(name=f"rater-{i}"), package=ds["name"], rating=value)
    return ds["id"]


def _orm(package_id, skip=()):
    package = package_queryset(skip=skip).get(pk=package_id)
    known_empty(package, skip)
    return package_dictize(package, {})


def test_the_dict_equals_the_orm_read(rich):
    expected = _orm(rich)
    assert len(expected["resources"]) == 2 and len(expected["groups"]) == 2
    assert len(expected["relationships_as_subject"]) == 2 and expected["ratings_count"] == 3
    with CaptureQueriesContext(connection) as queries:
        package = readback.packages([rich])[rich]
        built = package_dictize(package, {})
    assert built == expected
    assert len(queries) == 1 + len(RELATIONS)  # dictization read nothing more


def test_locked_and_several_at_once(rich, sysadmin):
    other = dataset(sysadmin, tags=[{"name": "apple"}])["id"]
    with transaction.atomic():
        found = readback.packages([other, rich, "no-such-id"], lock=True)
    assert sorted(found) == sorted([rich, other])
    assert package_dictize(found[rich], {}) == _orm(rich)
    assert package_dictize(found[other], {}) == _orm(other)


def test_skipped_relations_are_empty_without_a_query(rich):
    with CaptureQueriesContext(connection) as queries:
        built = package_dictize(readback.packages([rich], skip=OPTIONAL_PREFETCHES)[rich], {})
    assert built == _orm(rich, skip=OPTIONAL_PREFETCHES)
    assert built["groups"] == [] and built["ratings_count"] == 0
    assert len(queries) == 1 + len(RELATIONS) - len(OPTIONAL_PREFETCHES)
