"""catalog/revisions.py: one write, one CKAN Revision, one reversion revision; atomic; pending edits."""
import pytest
import reversion.models
from django.contrib.auth.models import AnonymousUser

from catalog.logic import new_context
from catalog.models import STATE_PENDING, Package, PackageExtra, Resource, Revision
from catalog.revisions import (
    create_pending_revision,
    current_revision,
    revision,
)
from catalog.signals import packages_changed

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


@pytest.fixture
def announced():
    """The package_ids lists sent by packages_changed during the test."""
    calls = []

    def receiver(sender, package_ids, **kwargs):
        calls.append(list(package_ids))

    packages_changed.connect(receiver, dispatch_uid="test-revisions")
    yield calls
    packages_changed.disconnect(dispatch_uid="test-revisions")


def write_dataset(context, name="rev-dataset"):
    with revision(context) as rev:
        package = Package.objects.create(name=name, title="A title")
        Resource.objects.create(package=package, url="http://example.org/data.csv", position=0)
        PackageExtra.objects.create(package=package, key="source", value="survey")
    return rev, package


def test_one_write_makes_one_revision_with_author_and_message(make_user, django_capture_on_commit_callbacks):
    user = make_user()
    before_ckan, before_reversion = Revision.objects.count(), reversion.models.Revision.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        rev, package = write_dataset(new_context(user=user, message="first version"))
    assert Revision.objects.count() == before_ckan + 1
    assert reversion.models.Revision.objects.count() == before_reversion + 1
    rev.refresh_from_db()
    assert rev.author == user.name
    assert rev.message == "first version"
    assert rev.state == "active"
    assert rev.approved_timestamp is not None
    assert len(rev.id) == 36


def test_the_reversion_revision_is_linked_and_holds_every_object(make_user):
    rev, package = write_dataset(new_context(user=make_user(), message="m"))
    rev.refresh_from_db()
    versions = rev.reversion_revision.version_set.all()
    models = sorted(v.content_type.model for v in versions)
    assert models == ["package", "packageextra", "resource"]
    assert rev.reversion_revision.comment == "m"


def test_objects_are_stamped_with_the_revision(make_user):
    rev, package = write_dataset(new_context(user=make_user()))
    for obj in [package, *package.resources.all(), *package.extras.all()]:
        obj.refresh_from_db()
        assert obj.revision_id == rev.id
        assert obj.revision_timestamp == rev.timestamp


def test_a_later_write_restamps_and_is_a_new_revision(make_user):
    first, package = write_dataset(new_context(user=make_user()))
    with revision(new_context(user=make_user())) as second:
        package.title = "Changed"
        package.save(update_fields=["title"])
    package.refresh_from_db()
    assert second.id != first.id
    assert package.revision_id == second.id
    assert list(package.revisions.order_by("timestamp")) == [first, second]


def test_saved_packages_are_recorded_and_announced_once_after_commit(make_user, announced, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with revision(new_context(user=make_user())) as rev:
            a = Package.objects.create(name="touch-a")
            b = Package.objects.create(name="touch-b")
            assert announced == []
    assert len(callbacks) == 1
    assert announced == [sorted([a.pk, b.pk])]
    assert set(rev.packages.values_list("pk", flat=True)) == {a.pk, b.pk}


def test_saved_groups_are_recorded(make_user):
    from catalog.models import Group

    with revision(new_context(user=make_user())) as rev:
        group = Group.objects.create(name="touched-group")
    assert list(rev.groups.all()) == [group]


def test_a_write_touching_no_dataset_announces_nothing(make_user, announced, django_capture_on_commit_callbacks):
    from catalog.models import Group

    with django_capture_on_commit_callbacks(execute=True):
        with revision(new_context(user=make_user())):
            Group.objects.create(name="quiet-group")
    assert announced == []


def test_an_anonymous_author_is_the_ip_address():
    rev, _ = write_dataset(new_context(user=AnonymousUser(), ip="192.0.2.7"))
    assert rev.author == "192.0.2.7"


def test_log_message_is_the_message_too(make_user):
    rev, _ = write_dataset(new_context(user=make_user(), log_message="from the body"))
    assert rev.message == "from the body"


def test_nested_revisions_join_the_outer_one(make_user):
    context = new_context(user=make_user(), message="outer")
    before = Revision.objects.count(), reversion.models.Revision.objects.count()
    with revision(context) as outer:
        Package.objects.create(name="outer-pkg")
        with revision(new_context(user=make_user(), message="inner")) as inner:
            assert inner is outer
            inner_pkg = Package.objects.create(name="inner-pkg")
        assert current_revision() is outer
    assert current_revision() is None
    assert (Revision.objects.count(), reversion.models.Revision.objects.count()) == (before[0] + 1, before[1] + 1)
    inner_pkg.refresh_from_db()
    assert inner_pkg.revision_id == outer.id
    assert Revision.objects.get(pk=outer.pk).message == "outer"


def test_an_exception_inside_leaves_nothing(make_user, announced, django_capture_on_commit_callbacks):
    before = Revision.objects.count(), reversion.models.Revision.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(Boom):
            with revision(new_context(user=make_user())):
                package = Package.objects.create(name="doomed")
                Resource.objects.create(package=package, url="http://example.org/x")
                raise Boom
    assert not Package.objects.filter(name="doomed").exists()
    assert not Resource.objects.filter(url="http://example.org/x").exists()
    assert (Revision.objects.count(), reversion.models.Revision.objects.count()) == before
    assert announced == []
    assert current_revision() is None


def test_an_exception_in_a_nested_write_undoes_the_outer_one_too(make_user):
    with pytest.raises(Boom):
        with revision(new_context(user=make_user())):
            Package.objects.create(name="outer-doomed")
            with revision(new_context()):
                Package.objects.create(name="inner-doomed")
                raise Boom
    assert not Package.objects.filter(name__in=["outer-doomed", "inner-doomed"]).exists()


def test_saves_outside_a_revision_are_not_stamped():
    package = Package.objects.create(name="unrevisioned")
    assert package.revision_id is None and package.revision_timestamp is None


def test_a_save_outside_a_revision_is_announced_after_commit(announced, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        package = Package.objects.create(name="shell-made")
        Resource.objects.create(package=package, url="http://example.org/shell.csv")
    assert announced == [[package.pk], [package.pk]]


# ---------------------------------------------------------------- pending revisions

def test_a_pending_revision_is_stored_but_not_applied(make_user):
    rev, package = write_dataset(new_context(user=make_user()))
    reversion_before = reversion.models.Revision.objects.count()
    editor = make_user()
    pending = create_pending_revision(
        new_context(user=editor, message="please review"), package, {"title": "Proposed title"}
    )
    pending.refresh_from_db()
    assert pending.state == STATE_PENDING
    assert pending.author == editor.name
    assert pending.message == "please review"
    assert pending.pending_package == package
    assert pending.pending_data == {"title": "Proposed title"}
    assert pending.reversion_revision is None
    assert reversion.models.Revision.objects.count() == reversion_before
    package.refresh_from_db()
    assert package.title == "A title"
    assert package.revision_id == rev.id
    assert list(package.pending_revisions.all()) == [pending]
    assert pending not in package.revisions.all()


def test_several_pending_revisions_queue_up_newest_first(make_user):
    _, package = write_dataset(new_context(user=make_user()))
    first = create_pending_revision(new_context(user=make_user()), package, {"title": "one"})
    second = create_pending_revision(new_context(user=make_user()), package, {"title": "two"})
    queued = list(package.pending_revisions.filter(state=STATE_PENDING))
    assert set(queued) == {first, second}
    assert queued[0].timestamp >= queued[1].timestamp
