"""User dicts as the Action API shows them.

The counts CKAN 1.6 showed (`number_of_edits`, `number_administered_packages`)
come from `users_with_counts`, so a list of users costs the same few queries
whatever its length. The API key, the reset key and the email address are private: only
the user themself and sysadmins see them (`private=True`).
"""
import hashlib

from django.db.models import Count

from catalog.logic.dictization import isoformat
from catalog.models import Revision, RoleAssignment

PRIVATE_FIELDS = ("email", "apikey", "reset_key")


def users_with_counts(queryset):
    """The users of `queryset` (a list, in its order), each given number_of_edits and
    number_administered_packages.

    Two grouped queries whatever the number of users: one scan of the
    revisions (whose author is not indexed) rather than one per user.
    """
    users = list(queryset)
    edits = dict(
        Revision.objects.filter(author__in=queryset.values("name"))
        .order_by()
        .values_list("author")
        .annotate(n=Count("pk"))
    )
    administered = dict(
        RoleAssignment.objects.filter(user__in=queryset.values("pk"), role="admin", package__isnull=False)
        .order_by()
        .values_list("user")
        .annotate(n=Count("pk"))
    )
    for user in users:
        user.number_of_edits = edits.get(user.name, 0)
        user.number_administered_packages = administered.get(user.pk, 0)
    return users


def user_with_counts(user):
    """`user` fetched again with its counts (see `users_with_counts`)."""
    from accounts.models import User

    [counted] = users_with_counts(User.objects.filter(pk=user.pk))
    return counted


def email_hash(email):
    """The MD5 of the normalised address, as gravatar (and CKAN 1.6) use it."""
    return hashlib.md5((email or "").strip().lower().encode("utf-8")).hexdigest()


def user_dictize(user, *, private=False):
    """The dict of `user` (from `users_with_counts`); private fields only when asked."""
    result = {
        "id": str(user.id),
        "name": user.name,
        "fullname": user.fullname,
        "about": user.about,
        "created": isoformat(user.created),
        "sysadmin": user.sysadmin,
        "display_name": user.display_name,
        "email_hash": email_hash(user.email),
        "number_of_edits": user.number_of_edits,
        "number_administered_packages": user.number_administered_packages,
    }
    if private:
        result.update({field: getattr(user, field) for field in PRIVATE_FIELDS})
    return result


def revision_summary(revision, *, ref_by="name"):
    """A revision as CKAN 1.6's revision_as_dict gave it, with its datasets and groups.

    Expects `packages` and `groups` prefetched.
    """
    return {
        "id": revision.id,
        "timestamp": isoformat(revision.timestamp),
        "message": revision.message,
        "author": revision.author,
        "approved_timestamp": isoformat(revision.approved_timestamp),
        "state": revision.state,
        "packages": [getattr(package, ref_by) for package in revision.packages.all()],
        "groups": [getattr(group, ref_by) for group in revision.groups.all()],
    }


def revision_dictize(revision):
    """A revision in a revision list: CKAN 1.6's revision_as_dict without datasets and groups."""
    return {
        "id": revision.id,
        "timestamp": isoformat(revision.timestamp),
        "message": revision.message,
        "author": revision.author,
        "approved_timestamp": isoformat(revision.approved_timestamp),
    }
