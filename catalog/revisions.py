"""One transaction, one revision, one change set: the context every catalog write runs in.

`revision(context)` opens a database transaction, a CKAN `Revision` row
(UUID, author, message, timestamp) and a django-reversion revision that
records a version of every versioned object saved inside it (collected by
`catalog.versions`, in time linear in the rows saved). Nested calls
join the outer revision, so an action that calls another action still makes
one revision. The write's `catalog.changes.ChangeSet` collects what it
changed; when the body has run, that one set links the Revision to the
datasets and groups it changed, then is published (dicts built and stored in
the transaction, search told after commit).
"""
import contextvars
from contextlib import contextmanager

import reversion
from django.db import transaction
from django.utils import timezone

from catalog import changes, versions
from catalog.models import STATE_ACTIVE, STATE_PENDING, Revision, writing_revision

_current = contextvars.ContextVar("ckan_revision", default=None)


def current_revision():
    """The revision being written in this thread, or None outside a write."""
    return writing_revision.get()


class _WriteState:
    def __init__(self, revision):
        self.revision = revision
        self.changes = changes.ChangeSet()
        self.discarded = False


def author_of(context):
    """A revision's author: the user's name, else the client's IP address."""
    user = context.get("user")
    if user is not None and getattr(user, "is_authenticated", False):
        return user.name
    return context.get("ip") or ""


def message_of(context):
    return context.get("message") or context.get("log_message") or ""


@contextmanager
def revision(context):
    """Run the enclosed writes as one atomic revision; yields the Revision.

    After the block, `revision.changes` is the write's published change set:
    `changes.package_dict(id)` is the dict the write stored for a dataset.
    """
    state = _current.get()
    if state is not None:
        yield state.revision
        return
    now = timezone.now()
    with transaction.atomic():
        rev = Revision.objects.create(
            author=author_of(context),
            message=message_of(context),
            timestamp=now,
            approved_timestamp=now,
            state=STATE_ACTIVE,
        )
        state = _WriteState(rev)
        token = _current.set(state)
        revision_token = writing_revision.set(rev)
        changes_token = changes.collecting(state.changes)
        collector = versions.VersionCollector()
        versions_token = versions.collecting(collector)
        try:
            # manage_manually: catalog.versions collects the versions, in linear time.
            # atomic=False: no savepoint of its own inside our transaction (two queries
            # a write); an error leaving the block rolls the whole transaction back anyway.
            with reversion.create_revision(manage_manually=True, atomic=False):
                reversion.set_comment(rev.message)
                user = context.get("user")
                if user is not None and getattr(user, "is_authenticated", False):
                    reversion.set_user(user)
                yield rev
                # The admin may have set another user or comment meanwhile.
                rev.reversion_revision = collector.save(
                    user=reversion.get_user(), comment=reversion.get_comment(), date_created=now
                )
        finally:
            versions.stop_collecting(versions_token)
            changes.stop_collecting(changes_token)
            writing_revision.reset(revision_token)
            _current.reset(token)
        change_set = state.changes
        package_ids, group_ids = change_set.resolve()
        if not state.discarded:
            if rev.reversion_revision is not None:
                rev.save(update_fields=["reversion_revision"])
            if package_ids:
                rev.packages.add(*sorted(package_ids))
            if group_ids:
                rev.groups.add(*sorted(group_ids))
        change_set.publish()
        rev.changes = change_set


def current_changes():
    """The change set of the write in progress (catalog.changes), or None outside a write."""
    state = _current.get()
    return state.changes if state else None


def discard_revision():
    """Drop the Revision row of the write in progress: it changed nothing (an admin form with errors)."""
    state = _current.get()
    if state is None:
        raise RuntimeError("discard_revision() called outside a revision")
    state.discarded = True
    state.revision.delete()


def create_pending_revision(context, package, data):
    """Store a moderated edit of `package` without applying it."""
    return Revision.objects.create(
        author=author_of(context),
        message=message_of(context),
        state=STATE_PENDING,
        pending_package=package,
        pending_data=data,
    )


changes.connect()
versions.connect()
