"""User dicts as the Action API shows them.

The counts CKAN 1.6 showed (`number_of_edits`, `number_administered_packages`)
come from annotations (`users_with_counts`), so a list of users costs one
query. The API key, the reset key and the email address are private: only
the user themself and sysadmins see them (`private=True`).
"""
import hashlib

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.models import User
from catalog.logic.dictization import isoformat
from catalog.models import Revision, RoleAssignment

PRIVATE_FIELDS = ("email", "apikey", "reset_key")


def _count_subquery(queryset, group_field):
    counted = queryset.order_by().values(group_field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def users_with_counts(queryset=None):
    """Users annotated with number_of_edits (revisions they authored) and administered packages."""
    queryset = User.objects.all() if queryset is None else queryset
    return queryset.annotate(
        number_of_edits=_count_subquery(Revision.objects.filter(author=OuterRef("name")), "author"),
        number_administered_packages=_count_subquery(
            RoleAssignment.objects.filter(user=OuterRef("pk"), role="admin", package__isnull=False), "user"
        ),
    )


def email_hash(email):
    """The MD5 of the normalised address, as gravatar (and CKAN 1.6) use it."""
    return hashlib.md5((email or "").strip().lower().encode("utf-8")).hexdigest()


def user_dictize(user, *, private=False):
    """The dict of `user` (best fetched with `users_with_counts()`); private fields only when asked."""
    result = {
        "id": str(user.id),
        "name": user.name,
        "fullname": user.fullname,
        "about": user.about,
        "created": isoformat(user.created),
        "sysadmin": user.sysadmin,
        "display_name": user.display_name,
        "email_hash": email_hash(user.email),
        "number_of_edits": _count(user, "number_of_edits"),
        "number_administered_packages": _count(user, "number_administered_packages"),
    }
    if private:
        result.update({field: getattr(user, field) for field in PRIVATE_FIELDS})
    return result


def _count(user, attribute):
    value = getattr(user, attribute, None)
    if value is not None:
        return value
    if attribute == "number_of_edits":
        return Revision.objects.filter(author=user.name).count()
    return RoleAssignment.objects.filter(user=user, role="admin", package__isnull=False).count()


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
