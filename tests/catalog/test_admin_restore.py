"""Restoring a dataset from its admin history: the whole dataset as it was then, as one new revision.

The dataset goes through API writes that change every part of it (fields,
resources, tags, extras, groups, relationships) and an admin edit that
purges a resource row; restoring the first version must give back the very
package_show of then, in package_show and in package_search.
"""
import json

import pytest

from catalog import models
from tests.catalog.logic.factories import call, dataset, resource
from tests.catalog.test_admin import form_data
from tests.searchapi.conftest import unique_word

pytestmark = pytest.mark.django_db

# What every write renews: not part of "the dataset as it was".
VOLATILE = {"revision_id", "revision_timestamp", "metadata_modified"}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin_client(client, sysadmin):
    client.force_login(sysadmin)
    return client


def action(client, action_name, user=None, **data):
    headers = {"HTTP_AUTHORIZATION": user.apikey} if user else {}
    body = client.post(f"/api/action/{action_name}", data=json.dumps(data), content_type="application/json",
                       **headers).json()
    assert body["success"], body
    return body["result"]


def content(shown):
    """A package_show dict without what every write renews."""
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in VOLATILE}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(shown)


@pytest.fixture
def history(sysadmin, search_index, django_capture_on_commit_callbacks, admin_client, client):
    """A dataset's first version (as package_show showed it), then a life of changes to every part."""
    word = unique_word()
    with django_capture_on_commit_callbacks(execute=True):
        for name in ("rs-green", "rs-blue"):
            call("group_create", sysadmin, name=name)
        call("package_create", sysadmin, name="rs-partner")
        call("package_create", sysadmin, name="rs-source")
        first = dataset(
            sysadmin, name="rs-data", title=f"First {word}", notes="as first written", license_id="cc-by",
            resources=[resource("a"), resource("b", name="Bee", size=10), resource("c")],
            tags=[{"name": "rs-keep"}, {"name": "rs-dropped"}],
            extras=[{"key": "k1", "value": "v1"}, {"key": "k2", "value": "v2"}],
            groups=[{"name": "rs-green"}],
            relationships_as_subject=[{"object": "rs-partner", "type": "depends_on", "comment": "needs it"}],
            relationships_as_object=[{"subject": "rs-source", "type": "derives_from", "comment": ""}],
        )
    first_shown = action(client, "package_show", sysadmin, id="rs-data")
    first_revision = models.Revision.objects.get(id=first["revision_id"])

    later = unique_word()
    with django_capture_on_commit_callbacks(execute=True):
        changed = dict(first_shown)
        changed.update(
            title=f"Later {later}", notes="rewritten", license_id="odc-odbl",
            resources=[first_shown["resources"][2], resource("d"), first_shown["resources"][0]],
            tags=[{"name": "rs-keep"}, {"name": "rs-new"}],
            extras=[{"key": "k1", "value": "changed"}, {"key": "k3", "value": "v3"}],
            groups=[{"name": "rs-blue"}],
            relationships_as_subject=[], relationships_as_object=[],
        )
        action(client, "package_update", sysadmin, **changed)
    # The admin deletes resource c outright (its row goes; only its versions remain).
    package = models.Package.objects.get(name="rs-data")
    url = f"/admin/catalog/package/{package.pk}/change/"
    data = form_data(admin_client.get(url))
    position = [key for key, value in data.items() if key.endswith("-url") and value.endswith("/c.csv")][0]
    data[position.replace("-url", "-DELETE")] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, data).status_code == 302
    assert not models.Resource.objects.filter(url="http://example.com/c.csv").exists()
    return {"first": first_shown, "revision": first_revision, "package": package, "word": word, "later": later}


def restore_url(history):
    return f"/admin/catalog/package/{history['package'].pk}/history/restore/{history['revision'].pk}/"


def test_restoring_the_first_version_restores_the_whole_dataset(admin_client, client, sysadmin, history,
                                                                  django_capture_on_commit_callbacks):
    before = models.Revision.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(restore_url(history))
    assert response.status_code == 302
    assert response["Location"] == f"/admin/catalog/package/{history['package'].pk}/change/"

    restored = action(client, "package_show", sysadmin, id="rs-data")
    assert content(restored) == content(history["first"])
    assert models.Revision.objects.count() == before + 1
    rev = models.Revision.objects.get(id=restored["revision_id"])
    assert rev.author == sysadmin.name
    assert rev.message.startswith("Restored the version of ") and history["revision"].id in rev.message

    found = action(client, "package_search", q=history["word"])
    assert found["count"] == 1 and found["results"][0] == restored
    assert action(client, "package_search", q=history["later"])["count"] == 0
    # The partner datasets show the relationships again too.
    partner = action(client, "package_show", sysadmin, id="rs-partner")
    assert [r["type"] for r in partner["relationships_as_object"]] == ["depends_on"]

    history_page = admin_client.get(f"/admin/catalog/package/{history['package'].pk}/history/").content.decode()
    assert "Restored the version of" in history_page


def test_the_confirmation_page_shows_what_would_change_and_changes_nothing(admin_client, history):
    before = models.Revision.objects.count()
    page = admin_client.get(restore_url(history)).content.decode()
    assert f"<del>Later {history['later']}</del>" in page and f"<ins>First {history['word']}</ins>" in page
    assert "<del>rs-keep, rs-new</del>" in page and "<ins>rs-dropped, rs-keep</ins>" in page
    assert "<del>rs-blue</del>" in page and "<ins>rs-green</ins>" in page
    assert "this depends_on rs-partner" in page and "rs-source derives_from this" in page
    assert '<input type="submit" value="Restore this version"' in page
    assert models.Revision.objects.count() == before
    assert models.Package.objects.get(name="rs-data").title == f"Later {history['later']}"


def test_the_history_offers_a_restore_for_each_earlier_change(admin_client, history):
    page = admin_client.get(f"/admin/catalog/package/{history['package'].pk}/history/").content.decode()
    assert restore_url(history) in page
    assert page.count('class="restore-link"') == history["package"].revisions.count() - 1  # not the newest


def test_what_no_longer_exists_is_reported_and_the_rest_restored(admin_client, client, sysadmin, history,
                                                                  django_capture_on_commit_callbacks):
    # A tag deleted outright in the admin takes its uses with it; their versions remain.
    tag = models.Tag.objects.get(name="rs-dropped")
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(f"/admin/catalog/tag/{tag.pk}/delete/", {"post": "yes"}).status_code == 302
    page = admin_client.get(restore_url(history)).content.decode()
    assert "1 tag(s) of that version no longer exist and are left out" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(restore_url(history), follow=True)
    assert "no longer exist" in response.content.decode()
    restored = action(client, "package_show", sysadmin, id="rs-data")
    assert restored["title"] == f"First {history['word']}"
    assert [t["name"] for t in restored["tags"]] == ["rs-keep"]
    assert [g["name"] for g in restored["groups"]] == ["rs-green"]


def test_a_restore_the_rules_refuse_is_reported_and_changes_nothing(admin_client, client, sysadmin, history):
    call("package_create", sysadmin, name="rs-taken")
    # The first version's name is now someone else's.
    action(client, "package_patch", sysadmin, id="rs-data", name="rs-renamed")
    action(client, "package_patch", sysadmin, id="rs-taken", name="rs-data")
    before = models.Revision.objects.count()
    response = admin_client.post(restore_url(history), follow=True)
    assert "Not restored:" in response.content.decode()
    assert models.Revision.objects.count() == before
    assert models.Package.objects.get(pk=history["package"].pk).name == "rs-renamed"


def test_only_revisions_of_the_dataset_can_be_restored(admin_client, history, sysadmin):
    other = models.Revision.objects.exclude(packages=history["package"]).first()
    assert admin_client.get(
        f"/admin/catalog/package/{history['package'].pk}/history/restore/{other.pk}/").status_code == 404
