"""A write's revision bookkeeping grows linearly with the rows it saves (catalog/versions.py).

django-reversion's own collection copied every version gathered so far on each
row it added: n²/2 copies for n rows. These tests count that work, the rows
serialised and the queries, for datasets of growing size; they do not time.
"""
import pytest
import reversion.revisions
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from catalog import versions as catalog_versions
from catalog.models import Package, PackageExtra, PackageTag, Resource, Revision
from tests.catalog.logic.factories import call

pytestmark = pytest.mark.django_db


def _body(name, n):
    return {
        "name": name,
        "tags": [{"name": f"tag-{i}"} for i in range(n)],
        "resources": [{"url": f"http://example.com/{i}.csv", "format": "CSV"} for i in range(n)],
        "extras": [{"key": f"key-{i}", "value": f"value {i}"} for i in range(n)],
    }


@pytest.fixture
def work(monkeypatch):
    """Counts, for the writes run after it: reversion's copied version entries and the rows serialised."""
    counts = {"copied": 0, "serialised": 0}
    copy = reversion.revisions._copy_db_versions
    serialize = catalog_versions.serializers.serialize

    def counting_copy(db_versions):
        counts["copied"] += sum(len(v) for v in db_versions.values())
        return copy(db_versions)

    def counting_serialize(format, objects, **options):
        counts["serialised"] += len(objects)
        return serialize(format, objects, **options)

    monkeypatch.setattr(reversion.revisions, "_copy_db_versions", counting_copy)
    monkeypatch.setattr(catalog_versions.serializers, "serialize", counting_serialize)
    return counts


def _create(user, name, n, work):
    before = dict(work)
    with CaptureQueriesContext(connection) as queries:
        created = call("package_create", user, _body(name, n))
    return created, {key: work[key] - before[key] for key in work}, len(queries)


def test_create_work_is_linear_in_the_rows_saved(make_user, work):
    alice = make_user()
    call("package_create", alice, _body("versions-warm", 80))  # the tags exist from now on
    costs = {n: _create(alice, f"versions-{n}", n, work)[1:] for n in (20, 40, 80)}
    for n, (counted, queries) in costs.items():
        assert counted["copied"] == 0, n  # reversion's quadratic copying is not used
        assert counted["serialised"] == 1 + 3 * n, n  # the dataset and each of its rows, once
    # Rows go in with bulk inserts: queries grow only with the inserts' batches, not per row.
    assert all(costs[n][1] - costs[20][1] <= (n - 20) // 10 for n in costs), costs


def test_update_work_is_linear_and_versions_each_changed_row_once(make_user, work):
    alice = make_user()
    created = call("package_create", alice, _body("versions-update", 60))
    created["notes"] = "changed"
    for resource in created["resources"]:
        resource["description"] = "changed"
    for extra in created["extras"]:
        extra["value"] += " changed"
    before = dict(work)
    updated = call("package_update", alice, created)
    assert work["copied"] == before["copied"]
    assert work["serialised"] - before["serialised"] <= 1 + 3 * 60

    reversion_revision_id = Revision.objects.get(pk=updated["revision_id"]).reversion_revision_id
    found = {}
    for version in Version.objects.filter(revision_id=reversion_revision_id):
        model = ContentType.objects.get_for_id(version.content_type_id).model_class()
        found.setdefault(model, []).append(version.object_id)
    assert found[Package] == [created["id"]]
    assert sorted(found[Resource]) == sorted(r["id"] for r in created["resources"])
    assert len(found[PackageExtra]) == len(set(found[PackageExtra])) == 60
    assert PackageTag not in found  # the tags did not change


def test_a_version_holds_the_row_as_last_saved(make_user):
    alice = make_user()
    created = call("package_create", alice, {"name": "versions-last", "title": "First"})
    version = Version.objects.get_for_object_reference(Package, created["id"]).first()
    assert version.field_dict["title"] == "First"
    call("package_patch", alice, {"id": created["id"], "title": "Second"})
    latest = Version.objects.get_for_object_reference(Package, created["id"]).first()
    assert latest.field_dict["title"] == "Second" and latest.revision.user == alice
