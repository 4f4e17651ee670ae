"""The catalog's data: datasets (packages), their parts, groups, ratings, roles and revisions.

Ids are UUID strings, as CKAN exposes them; every versioned object carries the
id and timestamp of the revision that last wrote it (stamped by
`catalog.revisions`), so reads never need to consult the revision tables.
"""
import contextvars
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

STATE_ACTIVE = "active"
STATE_DELETED = "deleted"
STATE_PENDING = "pending"
STATE_CHOICES = [(STATE_ACTIVE, "active"), (STATE_DELETED, "deleted"), (STATE_PENDING, "pending")]


def new_id():
    return str(uuid.uuid4())


# The Revision the current thread's write is making (set by catalog.revisions.revision()).
writing_revision = contextvars.ContextVar("catalog_writing_revision", default=None)


class Revisioned(models.Model):
    """An object written inside a revision: it remembers which one last wrote it."""

    revision_id = models.CharField(max_length=36, null=True, blank=True, editable=False)
    revision_timestamp = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        revision = writing_revision.get()
        if revision is not None:
            self.revision_id = revision.id
            self.revision_timestamp = revision.timestamp
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = set(update_fields) | {"revision_id", "revision_timestamp"}
        super().save(*args, **kwargs)


class Package(Revisioned):
    """A dataset: CKAN's central object."""

    id = models.CharField(max_length=36, primary_key=True, default=new_id, editable=False)
    name = models.CharField(max_length=100, unique=True)
    title = models.TextField(blank=True, default="")
    url = models.TextField(blank=True, default="")
    version = models.CharField(max_length=100, blank=True, default="")
    author = models.TextField(blank=True, default="")
    author_email = models.TextField(blank=True, default="")
    maintainer = models.TextField(blank=True, default="")
    maintainer_email = models.TextField(blank=True, default="")
    notes = models.TextField(blank=True, default="")
    license_id = models.CharField(max_length=100, blank=True, default="")
    type = models.CharField(max_length=100, blank=True, default="")
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=STATE_ACTIVE, db_index=True)
    resource_group_id = models.CharField(max_length=36, default=new_id, editable=False)
    metadata_created = models.DateTimeField(default=timezone.now, editable=False)
    metadata_modified = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "dataset"  # what CKAN's users call a package (the admin's labels)

    def __str__(self):
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        # The state it was read with: a save can tell a state change (catalog.changes).
        package = super().from_db(db, field_names, values)
        package.loaded_state = package.__dict__.get("state")
        return package

    def save(self, *args, **kwargs):
        # Read by the post_save receiver; a dataset not read from the database counts as changed.
        self.state_changed = getattr(self, "loaded_state", None) != self.state
        super().save(*args, **kwargs)
        self.loaded_state = self.state


class Resource(Revisioned):
    """A downloadable file or API of a dataset, kept in the order the dataset gives."""

    id = models.CharField(max_length=36, primary_key=True, default=new_id, editable=False)
    package = models.ForeignKey(Package, related_name="resources", on_delete=models.CASCADE)
    url = models.TextField()
    format = models.TextField(blank=True, default="")
    description = models.TextField(blank=True, default="")
    hash = models.TextField(blank=True, default="")
    name = models.TextField(blank=True, null=True, default=None)
    resource_type = models.TextField(blank=True, null=True, default=None)
    mimetype = models.TextField(blank=True, null=True, default=None)
    mimetype_inner = models.TextField(blank=True, null=True, default=None)
    size = models.BigIntegerField(blank=True, null=True, default=None)
    last_modified = models.DateTimeField(blank=True, null=True, default=None)
    cache_url = models.TextField(blank=True, null=True, default=None)
    cache_last_updated = models.DateTimeField(blank=True, null=True, default=None)
    webstore_url = models.TextField(blank=True, null=True, default=None)
    webstore_last_updated = models.DateTimeField(blank=True, null=True, default=None)
    position = models.IntegerField(default=0)
    extras = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=STATE_ACTIVE, db_index=True)
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["package_id", "position"]

    def __str__(self):
        return self.url


class Tag(models.Model):
    """A keyword; tags are shared between datasets and named, never renamed."""

    id = models.CharField(max_length=36, primary_key=True, default=new_id, editable=False)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PackageTag(Revisioned):
    """A dataset's use of a tag; deleting it keeps the row as `deleted` for history."""

    id = models.CharField(max_length=36, primary_key=True, default=new_id, editable=False)
    package = models.ForeignKey(Package, related_name="package_tags", on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, related_name="package_tags", on_delete=models.CASCADE)
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=STATE_ACTIVE, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["package", "tag"], name="uniq_package_tag")]

    def __str__(self):
        # The admin's change messages name a dataset's tag by its name; never a query just for that
        # (django-reversion takes every saved row's str for its history).
        return self.tag.name if PackageTag.tag.is_cached(self) else str(self.tag_id)


class PackageExtra(Revisioned):
    """A free-form key/value pair of a dataset."""

    id = models.CharField(max_length=36, primary_key=True, default=new_id, editable=False)
    package = models.ForeignKey(Package, related_name="extras", on_delete=models.CASCADE)
    key = models.CharField(max_length=200)
    value = models.TextField(blank=True, default="")
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=STATE_ACTIVE, db_index=True)

    class Meta:
        ordering = ["key"]
        constraints = [models.UniqueConstraint(fields=["package", "key"], name="uniq_package_extra")]

    def __str__(self):
        return self.key


class Group(Revisioned):
    """A named collection of datasets, with its own admins and editors."""

    id = models.CharField(max_length=36, primary_key=True, default=new_id, editable=False)
    name = models.CharField(max_length=100, unique=True)
    title = models.TextField(blank=True, default="")
    description = models.TextField(blank=True, default="")
    type = models.CharField(max_length=100, default="group")
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=STATE_ACTIVE, db_index=True)
    approval_status = models.CharField(max_length=20, default="approved")
    created = models.DateTimeField(default=timezone.now, editable=False)
    packages = models.ManyToManyField(Package, through="Member", related_name="groups")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class GroupExtra(Revisioned):
    """A free-form key/value pair of a group."""

    id = models.CharField(max_length=36, primary_key=True, default=new_id, editable=False)
    group = models.ForeignKey(Group, related_name="extras", on_delete=models.CASCADE)
    key = models.CharField(max_length=200)
    value = models.TextField(blank=True, default="")
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=STATE_ACTIVE)

    class Meta:
        ordering = ["key"]
        constraints = [models.UniqueConstraint(fields=["group", "key"], name="uniq_group_extra")]


class Member(Revisioned):
    """A dataset's membership of a group."""

    id = models.CharField(max_length=36, primary_key=True, default=new_id, editable=False)
    package = models.ForeignKey(Package, related_name="memberships", on_delete=models.CASCADE)
    group = models.ForeignKey(Group, related_name="memberships", on_delete=models.CASCADE)
    capacity = models.CharField(max_length=100, default="public")
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=STATE_ACTIVE, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["package", "group"], name="uniq_member")]

    def __str__(self):
        # As PackageTag's: the group's name when it is at hand (an admin form), else its id.
        return self.group.name if Member.group.is_cached(self) else str(self.group_id)


class PackageRelationship(Revisioned):
    """A typed link between two datasets, stored in its forward direction.

    The 8 types of the API are 4 stored pairs: `dependency_of` is stored as
    `depends_on` with subject and object swapped, and so on.
    """

    FORWARD_TYPES = ["depends_on", "derives_from", "child_of", "links_to"]
    REVERSE_OF = {
        "depends_on": "dependency_of",
        "derives_from": "has_derivation",
        "child_of": "parent_of",
        "links_to": "linked_from",
    }
    FORWARD_OF = {reverse: forward for forward, reverse in REVERSE_OF.items()}
    TYPES = FORWARD_TYPES + list(FORWARD_OF)

    id = models.CharField(max_length=36, primary_key=True, default=new_id, editable=False)
    subject = models.ForeignKey(Package, related_name="relationships_as_subject", on_delete=models.CASCADE)
    object = models.ForeignKey(Package, related_name="relationships_as_object", on_delete=models.CASCADE)
    type = models.CharField(max_length=20, choices=[(t, t) for t in FORWARD_TYPES])
    comment = models.TextField(blank=True, default="")
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=STATE_ACTIVE, db_index=True)

    def __str__(self):
        return f"{self.subject_id} {self.type} {self.object_id}"


class Rating(models.Model):
    """A 1–5 rating of a dataset by a user, or by an IP address for anonymous raters."""

    id = models.CharField(max_length=36, primary_key=True, default=new_id, editable=False)
    package = models.ForeignKey(Package, related_name="ratings", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE)
    user_ip = models.CharField(max_length=64, blank=True, default="")
    rating = models.FloatField()
    created = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.package_id}: {self.rating}"


class Revision(models.Model):
    """A CKAN revision: one per write, with author and message.

    Active revisions point at the django-reversion Revision that holds the
    versions they wrote. A *pending* revision is a moderated edit kept as the
    requested change (`pending_data` for `package`) and applied later by
    `make_latest_pending_package_active`.
    """

    id = models.CharField(max_length=36, primary_key=True, default=new_id, editable=False)
    timestamp = models.DateTimeField(default=timezone.now, db_index=True)
    author = models.CharField(max_length=200, blank=True, default="")
    message = models.TextField(blank=True, default="")
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=STATE_ACTIVE, db_index=True)
    approved_timestamp = models.DateTimeField(null=True, blank=True)
    reversion_revision = models.OneToOneField(
        "reversion.Revision", null=True, blank=True, related_name="ckan", on_delete=models.SET_NULL
    )
    packages = models.ManyToManyField(Package, related_name="revisions", blank=True)
    groups = models.ManyToManyField(Group, related_name="revisions", blank=True)
    pending_package = models.ForeignKey(
        Package, null=True, blank=True, related_name="pending_revisions", on_delete=models.CASCADE
    )
    pending_data = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-timestamp"]

    def __str__(self):
        return f"{self.id} by {self.author}"


class AuthorizationGroup(models.Model):
    """A named set of users that can hold roles together."""

    id = models.CharField(max_length=36, primary_key=True, default=new_id, editable=False)
    name = models.CharField(max_length=100, unique=True)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="authorization_groups", blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class RoleAssignment(models.Model):
    """A role held on a package, a group or the system (both null).

    The holder is a user, an authorization group, or one of the pseudo-users
    `visitor` (everybody) and `logged_in` (anyone with a valid key).
    """

    ROLES = ["admin", "editor", "anon_editor", "reader"]
    PSEUDO_USERS = ["visitor", "logged_in"]

    role = models.CharField(max_length=20, choices=[(r, r) for r in ROLES])
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="roles", on_delete=models.CASCADE
    )
    authorization_group = models.ForeignKey(
        AuthorizationGroup, null=True, blank=True, related_name="roles", on_delete=models.CASCADE
    )
    pseudo_user = models.CharField(
        max_length=20, blank=True, default="", choices=[("", "")] + [(p, p) for p in PSEUDO_USERS]
    )
    package = models.ForeignKey(Package, null=True, blank=True, related_name="roles", on_delete=models.CASCADE)
    group = models.ForeignKey(Group, null=True, blank=True, related_name="roles", on_delete=models.CASCADE)

    class Meta:
        indexes = [models.Index(fields=["package", "role"]), models.Index(fields=["group", "role"])]

    @property
    def holder(self):
        return self.user or self.authorization_group or self.pseudo_user

    @property
    def target(self):
        return self.package or self.group or "system"

    def __str__(self):
        return f"{self.holder} is {self.role} on {self.target}"


class PackageDictCache(models.Model):
    """A dataset's package_show dict as JSON text, kept by `catalog.dict_cache`.

    Every write stores the new dict of each dataset it changed, with a new
    random `version`, in its own transaction (catalog.changes). `data` is NULL
    only where no write has stored one since the row was made; a read then
    builds and stores it, if `version` is still the one it saw.
    """

    package = models.OneToOneField(Package, primary_key=True, related_name="dict_cache", on_delete=models.CASCADE)
    version = models.BigIntegerField(default=0)
    data = models.TextField(null=True, blank=True)
