"""One transaction, one revision: the context every catalog write runs in.

`revision(context)` opens a database transaction, a CKAN `Revision` row
(UUID, author, message, timestamp) and a django-reversion revision that
records a version of every versioned object saved inside it. Nested calls
join the outer revision, so an action that calls another action still makes
one revision. After commit, the datasets the write touched are announced
with `catalog.signals.packages_changed` (search indexes them).
"""
import contextvars
from contextlib import contextmanager

import reversion
from django.db import transaction
from django.utils import timezone
from reversion.signals import post_revision_commit

from catalog import dict_cache
from catalog.models import STATE_ACTIVE, STATE_PENDING, Revision
from catalog.signals import packages_changed

_current = contextvars.ContextVar("ckan_revision", default=None)


def current_revision():
    """The revision being written in this thread, or None outside a write."""
    state = _current.get()
    return state.revision if state else None


class _WriteState:
    def __init__(self, revision):
        self.revision = revision
        self.package_ids = set()
        self.group_ids = set()
        self.dict_changes = dict_cache.Pending()


def current_dict_changes():
    """The package-dict changes the current write collects (catalog.dict_cache), or None."""
    state = _current.get()
    return state.dict_changes if state else None


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
    """Run the enclosed writes as one atomic revision; yields the Revision."""
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
        try:
            with reversion.create_revision():
                reversion.set_comment(rev.message)
                user = context.get("user")
                if user is not None and getattr(user, "is_authenticated", False):
                    reversion.set_user(user)
                yield rev
        finally:
            _current.reset(token)
        # Stored package_show dicts this write made stale are cleared in its transaction.
        state.dict_changes.package_ids.update(state.package_ids)
        state.dict_changes.flush()
        if state.package_ids:
            rev.packages.add(*state.package_ids)
        if state.group_ids:
            rev.groups.add(*state.group_ids)
        package_ids = sorted(state.package_ids)
        if package_ids:
            transaction.on_commit(
                lambda: packages_changed.send(sender=Revision, package_ids=package_ids)
            )


def touch_package(package):
    """Record that the current write changed `package` (for history and search)."""
    state = _current.get()
    if state is None:
        raise RuntimeError("touch_package() called outside a revision")
    state.package_ids.add(package.pk)


def touch_group(group):
    """Record that the current write changed `group`."""
    state = _current.get()
    if state is None:
        raise RuntimeError("touch_group() called outside a revision")
    state.group_ids.add(group.pk)


def create_pending_revision(context, package, data):
    """Store a moderated edit of `package` without applying it."""
    return Revision.objects.create(
        author=author_of(context),
        message=message_of(context),
        state=STATE_PENDING,
        pending_package=package,
        pending_data=data,
    )


def _link_reversion_revision(sender, revision, versions, **kwargs):
    state = _current.get()
    if state is not None and state.revision.reversion_revision_id is None:
        state.revision.reversion_revision = revision
        state.revision.save(update_fields=["reversion_revision"])


post_revision_commit.connect(_link_reversion_revision, dispatch_uid="ckan_revision_link")
dict_cache.connect()
