"""Dataset update actions: replace vs partial semantics, history rows, moderation."""
import pytest

from catalog.logic.errors import NotAuthorized, NotFound, ValidationError
from catalog.models import PackageExtra, PackageTag, Resource, Revision
from tests.catalog.logic.factories import call, dataset, resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(make_user):
    return make_user()


@pytest.fixture
def full(alice):
    return dataset(
        alice,
        url="http://example.com/home",
        resources=[resource("a"), resource("b")],
        tags=[{"name": "keep"}, {"name": "drop"}],
        extras=[{"key": "k1", "value": "v1"}, {"key": "k2", "value": "v2"}],
    )


def test_posting_back_a_shown_dataset_changes_only_what_changed(alice, full):
    shown = call("package_show", None, id=full["id"])
    shown["title"] = "Changed"
    updated = call("package_update", alice, shown)
    assert updated["title"] == "Changed"
    for key in ("resources", "tags", "extras"):
        assert [r["id"] for r in updated[key]] == [r["id"] for r in full[key]]
    assert updated["resources"][0]["revision_id"] == full["revision_id"]
    assert updated["revision_id"] != full["revision_id"]
    assert updated["metadata_modified"] > full["metadata_modified"]


def test_update_replaces_children_and_keeps_removed_ones_as_deleted(alice, full):
    shown = call("package_show", None, id=full["id"])
    shown["resources"] = [shown["resources"][1], resource("c")]
    shown["tags"] = [{"name": "keep"}, {"name": "new"}]
    shown["extras"] = [{"key": "k1", "value": "changed"}]
    updated = call("package_update", alice, shown)
    assert [(r["url"], r["position"]) for r in updated["resources"]] == [
        ("http://example.com/b.csv", 0), ("http://example.com/c.csv", 1)]
    assert [t["name"] for t in updated["tags"]] == ["keep", "new"]
    assert [(e["key"], e["value"]) for e in updated["extras"]] == [("k1", "changed")]
    assert Resource.objects.get(url="http://example.com/a.csv").state == "deleted"
    assert PackageTag.objects.get(package_id=full["id"], tag__name="drop").state == "deleted"
    assert PackageExtra.objects.get(package_id=full["id"], key="k2").state == "deleted"


def test_update_without_child_keys_empties_them_but_keeps_core_fields(alice, full):
    updated = call("package_update", alice, id=full["id"], title="Only title")
    assert (updated["resources"], updated["tags"], updated["extras"]) == ([], [], [])
    assert updated["url"] == "http://example.com/home"


def test_rest_update_is_partial_and_merges_extras(alice, full):
    result = call("package_update_rest", alice, id=full["name"], title="REST", extras={"k1": None, "k3": "v3"})
    assert result["title"] == "REST"
    assert result["tags"] == ["drop", "keep"]
    assert [r["url"] for r in result["resources"]] == ["http://example.com/a.csv", "http://example.com/b.csv"]
    assert result["extras"] == {"k2": "v2", "k3": "v3"}


def test_rest_update_takes_the_dataset_from_the_url_and_refuses_a_changed_id(alice, full):
    with pytest.raises(ValidationError) as info:
        from catalog.logic import new_context
        from catalog.logic.registry import get_action

        get_action("package_update_rest")(new_context(user=alice, id=full["name"]), {"id": "other-id"})
    assert "id" in info.value.error_dict


def test_renaming_to_a_taken_name_fails_and_writes_nothing(alice, full):
    other = dataset(alice)
    before = Revision.objects.count()
    with pytest.raises(ValidationError) as info:
        call("package_update", alice, id=full["id"], name=other["name"])
    assert info.value.error_dict == {"name": ["That URL is already in use."]}
    assert Revision.objects.count() == before


def test_one_update_is_one_revision_with_the_message(alice, full):
    before = Revision.objects.count()
    updated = call("package_update", alice, id=full["id"], title="x", log_message="Why")
    assert Revision.objects.count() == before + 1
    assert Revision.objects.get(pk=updated["revision_id"]).message == "Why"
    revisions = call("package_revision_list", None, id=full["id"])
    assert [r["id"] for r in revisions] == [updated["revision_id"], full["revision_id"]]
    assert call("revision_list", None)[0] == updated["revision_id"]
    shown = call("revision_show", None, id=updated["revision_id"])
    assert (shown["author"], shown["packages"]) == (alice.name, [full["name"]])


def test_anonymous_cannot_update(full):
    with pytest.raises(NotAuthorized):
        call("package_update", None, id=full["id"], title="x")


def test_another_logged_in_user_may_edit_but_not_set_state(alice, full, make_user):
    updated = call("package_update", make_user(), id=full["id"], title="By Bob", state="deleted")
    assert (updated["title"], updated["state"]) == ("By Bob", "active")


def test_update_validate_does_not_save(alice, full):
    result = call("package_update_validate", alice, id=full["id"], title="Not saved")
    assert result["title"] == "Not saved"
    assert call("package_show", None, id=full["id"])["title"] == full["title"]


def test_resource_update_changes_only_the_given_fields(alice, full):
    res = full["resources"][0]
    updated = call("resource_update", alice, id=res["id"], url="http://example.com/moved", size=12)
    assert (updated["url"], updated["size"], updated["format"]) == ("http://example.com/moved", 12, "CSV")
    assert call("resource_show", None, id=res["id"])["url"] == "http://example.com/moved"


def test_resource_update_of_an_unknown_resource_is_not_found(alice):
    with pytest.raises(NotFound):
        call("resource_update", alice, id="nope", url="http://x")


def test_relationship_update_and_delete_in_the_spec_spelling(alice):
    a, b = dataset(alice), dataset(alice)
    call("package_relationship_create", alice, subject=a["id"], object=b["id"], type="child_of", comment="1")
    result = call("package_relationship_update", alice, id=a["name"], id2=b["name"], rel="child_of", comment="2")
    assert result["comment"] == "2"
    call("package_relationship_delete", alice, id=a["name"], id2=b["name"], rel="child_of")
    assert call("package_relationships_list", None, id=a["id"]) == []
    with pytest.raises(NotFound):
        call("package_relationship_delete", alice, id=a["name"], id2=b["name"], rel="child_of")


@pytest.fixture
def moderated(settings, make_user):
    user = make_user()
    settings.CKAN_MODERATED_USERS = [user.name]
    return user


def test_moderated_edit_is_pending_until_an_admin_applies_it(alice, full, moderated):
    before = call("package_show", None, id=full["id"])
    call("package_update_rest", moderated, id=full["id"], title="Suggested", log_message="Please")
    assert call("package_show", None, id=full["id"])["title"] == before["title"]
    pending = Revision.objects.get(pending_package_id=full["id"], state="pending")
    assert (pending.author, pending.message) == (moderated.name, "Please")

    with pytest.raises(NotAuthorized):
        call("make_latest_pending_package_active", moderated, id=full["id"])
    applied = call("make_latest_pending_package_active", alice, id=full["id"])
    assert applied["title"] == "Suggested"
    assert [t["name"] for t in applied["tags"]] == ["drop", "keep"]
    pending.refresh_from_db()
    assert pending.state == "active" and pending.approved_timestamp is not None


def test_moderated_users_own_datasets_are_not_moderated(moderated):
    pkg = dataset(moderated)
    assert call("package_update", moderated, id=pkg["id"], title="Direct")["title"] == "Direct"


def test_make_latest_pending_active_without_pending_changes_nothing(alice, full):
    before = Revision.objects.count()
    assert call("make_latest_pending_package_active", alice, id=full["id"])["title"] == full["title"]
    assert Revision.objects.count() == before


def test_a_group_update_read_before_another_write_keeps_that_writes_fields(alice):
    """The group an update read, changed by another write before it saves: the update's
    save goes over the row as it is then (locked), so the other write's field stays."""
    from catalog.logic.action.update import _update_group
    from catalog.logic import new_context
    from catalog.models import Group

    call("group_create", alice, name="locked-group", title="Old", description="old")
    read_early = Group.objects.get(name="locked-group")
    call("group_patch", alice, id="locked-group", description="changed meanwhile")
    _update_group(new_context(user=alice), {"id": "locked-group", "title": "New"}, read_early, partial=True)
    group = call("group_show", alice, id="locked-group")
    assert (group["title"], group["description"]) == ("New", "changed meanwhile")


def test_a_resource_update_read_before_another_write_keeps_that_writes_fields(alice, full):
    from catalog.logic.action.update import _update_resource
    from catalog.logic import new_context

    resource_id = call("package_show", alice, id=full["id"])["resources"][0]["id"]
    read_early = Resource.objects.select_related("package").get(pk=resource_id)
    call("resource_patch", alice, id=resource_id, description="changed meanwhile", x_extra="kept")
    _update_resource(new_context(user=alice), read_early, {"id": resource_id, "name": "new name"})
    shown = next(r for r in call("package_show", alice, id=full["id"])["resources"] if r["id"] == resource_id)
    assert (shown["name"], shown["description"], shown["x_extra"]) == ("new name", "changed meanwhile", "kept")


def test_a_user_update_read_before_a_new_api_key_does_not_bring_the_old_key_back(alice, monkeypatch):
    from accounts.models import User
    from catalog.logic.action import update

    read_early = User.objects.get(pk=alice.pk)
    new_key = call("user_generate_apikey", alice, id=alice.name)["apikey"]
    monkeypatch.setattr(update, "find_user", lambda ref: read_early)  # as if read before the new key
    call("user_update", alice, id=alice.name, email="new@example.org", fullname="New Name")
    saved = User.objects.get(pk=alice.pk)
    assert (saved.apikey, saved.fullname) == (new_key, "New Name")


def test_a_reset_key_authorises_one_update_even_when_two_race(make_user, monkeypatch):
    from accounts.models import User
    from catalog.logic.action import update

    target = make_user()
    target.reset_key = "one-time-key"
    target.save(update_fields=["reset_key"])
    read_early = User.objects.get(pk=target.pk)
    call("user_update", None, id=target.name, email="first@example.org", reset_key="one-time-key")
    monkeypatch.setattr(update, "find_user", lambda ref: read_early)  # the racing update read the key too
    with pytest.raises(NotAuthorized):
        call("user_update", None, id=target.name, email="second@example.org", reset_key="one-time-key")
    assert User.objects.get(pk=target.pk).email == "first@example.org"
