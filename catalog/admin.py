"""The Django admin for the catalog, with revision history on every versioned model.

A save in the admin is a catalog write like any other: `CatalogVersionAdmin`
runs each POST inside `catalog.revisions.revision()`, so it makes one CKAN
Revision (author = the admin user, message = the admin's change message)
linked to one django-reversion revision, stamps `revision_id`, and its
change set (catalog.changes) finds what the rows saved changed, exactly as
for an API write: history, stored dicts and search follow. A POST that saves
nothing (a form with errors, a delete confirmation page) leaves no Revision
behind.

Deleting a dataset here purges it (the row goes). The API's `package_delete`
only marks it deleted; to do that here, set its state to `deleted`.
"""
from contextlib import contextmanager

import reversion
from django import forms
from django.contrib import admin
from reversion.admin import VersionAdmin

from catalog import models
from catalog.logic import new_context
from catalog.revisions import current_changes, discard_revision, revision

ADMIN_MESSAGE = "Changed in the admin"


class CatalogVersionAdmin(VersionAdmin):
    """A VersionAdmin whose writes are CKAN revisions (see the module docstring)."""

    history_latest_first = True

    def _reversion_autoregister(self, model, follow):
        # No follow= of the inlines: catalog.revisions versions every row a write
        # changes, on its own; following would re-serialize (and re-check) every
        # child of a dataset on each write of it (9 queries and ~5 ms CPU of an update).
        super()._reversion_autoregister(model, ())

    @contextmanager
    def create_revision(self, request):
        if request.method != "POST":
            with super().create_revision(request):
                yield
            return
        context = new_context(user=request.user, ip=request.META.get("REMOTE_ADDR", ""), message=ADMIN_MESSAGE)
        with revision(context) as rev:
            reversion.set_user(request.user)
            yield
            if current_changes().is_empty():
                discard_revision()
            else:
                comment = reversion.get_comment()
                if comment and comment != rev.message:
                    rev.message = comment
                    rev.save(update_fields=["message"])

    def delete_view(self, request, object_id, extra_context=None):
        with self.create_revision(request):
            return super().delete_view(request, object_id, extra_context)


# ---------------------------------------------------------------- datasets

class RoleAssignmentForm(forms.ModelForm):
    """A role needs exactly one holder, and at most one of dataset and group."""

    class Meta:
        model = models.RoleAssignment
        fields = "__all__"

    def clean(self):
        data = super().clean()
        holders = [data.get("user"), data.get("authorization_group"), data.get("pseudo_user")]
        if sum(1 for h in holders if h) != 1:
            raise forms.ValidationError("Give exactly one holder: a user, an authorization group or a pseudo-user.")
        if data.get("package") and data.get("group"):
            raise forms.ValidationError("A role is held on a dataset or a group (or neither, for the system), not both.")
        return data



class ResourceInline(admin.StackedInline):
    model = models.Resource
    extra = 0
    fields = ("url", "name", "format", "description", "position", "state", "mimetype", "size", "hash")
    ordering = ("position",)


class PackageExtraInline(admin.TabularInline):
    model = models.PackageExtra
    extra = 0
    fields = ("key", "value", "state")


class PackageTagInline(admin.TabularInline):
    model = models.PackageTag
    extra = 0
    fields = ("tag", "state")
    autocomplete_fields = ("tag",)


class PackageMemberInline(admin.TabularInline):
    model = models.Member
    extra = 0
    fields = ("group", "capacity", "state")
    raw_id_fields = ("group",)
    verbose_name = "group membership"


class GroupMemberInline(admin.TabularInline):
    model = models.Member
    extra = 0
    fields = ("package", "capacity", "state")
    raw_id_fields = ("package",)
    verbose_name = "dataset"


class PackageRoleInline(admin.TabularInline):
    model = models.RoleAssignment
    form = RoleAssignmentForm
    fk_name = "package"
    extra = 0
    fields = ("role", "user", "authorization_group", "pseudo_user")
    raw_id_fields = ("user", "authorization_group")
    verbose_name = "role"
    verbose_name_plural = "roles on this dataset"


@admin.register(models.Package)
class PackageAdmin(CatalogVersionAdmin):
    list_display = ("name", "title", "state", "license_id", "type", "metadata_modified")
    list_filter = ("state", "license_id", "type")
    search_fields = ("id", "name", "title", "notes", "author", "maintainer")
    readonly_fields = ("id", "metadata_created", "metadata_modified", "revision_id", "revision_timestamp")
    fieldsets = (
        (None, {"fields": ("id", "name", "title", "state", "type", "license_id", "url", "version", "notes")}),
        ("People", {"fields": ("author", "author_email", "maintainer", "maintainer_email")}),
        ("History", {"fields": ("metadata_created", "metadata_modified", "revision_id", "revision_timestamp")}),
    )
    inlines = [ResourceInline, PackageTagInline, PackageExtraInline, PackageMemberInline, PackageRoleInline]



@admin.register(models.Resource)
class ResourceAdmin(CatalogVersionAdmin):
    list_display = ("url", "name", "package", "format", "position", "state")
    list_filter = ("state", "format")
    search_fields = ("id", "url", "name", "description", "package__name")
    list_select_related = ("package",)
    raw_id_fields = ("package",)
    readonly_fields = ("id", "created", "revision_id", "revision_timestamp")



@admin.register(models.Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "id")
    search_fields = ("name",)
    readonly_fields = ("id",)


@admin.register(models.PackageTag)
class PackageTagAdmin(CatalogVersionAdmin):
    list_display = ("package", "tag", "state")
    list_filter = ("state",)
    search_fields = ("package__name", "tag__name")
    list_select_related = ("package", "tag")
    raw_id_fields = ("package", "tag")
    readonly_fields = ("id", "revision_id", "revision_timestamp")



@admin.register(models.PackageExtra)
class PackageExtraAdmin(CatalogVersionAdmin):
    list_display = ("key", "value", "package", "state")
    list_filter = ("state",)
    search_fields = ("key", "value", "package__name")
    list_select_related = ("package",)
    raw_id_fields = ("package",)
    readonly_fields = ("id", "revision_id", "revision_timestamp")



@admin.register(models.PackageRelationship)
class PackageRelationshipAdmin(CatalogVersionAdmin):
    list_display = ("subject", "type", "object", "state")
    list_filter = ("type", "state")
    search_fields = ("subject__name", "object__name", "comment")
    list_select_related = ("subject", "object")
    raw_id_fields = ("subject", "object")
    readonly_fields = ("id", "revision_id", "revision_timestamp")



@admin.register(models.Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("package", "rating", "user", "user_ip", "created")
    list_filter = ("rating",)
    search_fields = ("package__name", "user__name", "user_ip")
    list_select_related = ("package", "user")
    raw_id_fields = ("package", "user")
    readonly_fields = ("id",)


# ---------------------------------------------------------------- groups

class GroupExtraInline(admin.TabularInline):
    model = models.GroupExtra
    extra = 0
    fields = ("key", "value", "state")


class GroupRoleInline(PackageRoleInline):
    fk_name = "group"
    verbose_name_plural = "roles on this group"


@admin.register(models.Group)
class GroupAdmin(CatalogVersionAdmin):
    list_display = ("name", "title", "type", "state", "approval_status", "created")
    list_filter = ("state", "type", "approval_status")
    search_fields = ("id", "name", "title", "description")
    readonly_fields = ("id", "created", "revision_id", "revision_timestamp")
    inlines = [GroupExtraInline, GroupMemberInline, GroupRoleInline]



@admin.register(models.GroupExtra)
class GroupExtraAdmin(CatalogVersionAdmin):
    list_display = ("key", "value", "group", "state")
    list_filter = ("state",)
    search_fields = ("key", "value", "group__name")
    list_select_related = ("group",)
    raw_id_fields = ("group",)
    readonly_fields = ("id", "revision_id", "revision_timestamp")



@admin.register(models.Member)
class MemberAdmin(CatalogVersionAdmin):
    list_display = ("package", "group", "capacity", "state")
    list_filter = ("state", "capacity")
    search_fields = ("package__name", "group__name")
    list_select_related = ("package", "group")
    raw_id_fields = ("package", "group")
    readonly_fields = ("id", "revision_id", "revision_timestamp")


# ---------------------------------------------------------------- revisions and rights

@admin.register(models.Revision)
class RevisionAdmin(admin.ModelAdmin):
    """CKAN revisions; the versions themselves are in each object's History."""

    list_display = ("id", "timestamp", "author", "message", "state")
    list_filter = ("state",)
    search_fields = ("id", "author", "message")
    date_hierarchy = "timestamp"
    readonly_fields = ("id", "timestamp", "author", "reversion_revision", "approved_timestamp")
    raw_id_fields = ("packages", "groups", "pending_package")


@admin.register(models.AuthorizationGroup)
class AuthorizationGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "created")
    search_fields = ("name", "users__name")
    filter_horizontal = ("users",)
    readonly_fields = ("id",)


@admin.register(models.RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    form = RoleAssignmentForm
    list_display = ("role", "holder_display", "target_display")
    list_filter = ("role", "pseudo_user")
    search_fields = ("user__name", "authorization_group__name", "package__name", "group__name")
    list_select_related = ("user", "authorization_group", "package", "group")
    raw_id_fields = ("user", "authorization_group", "package", "group")

    @admin.display(description="holder")
    def holder_display(self, obj):
        return str(obj.holder)

    @admin.display(description="on")
    def target_display(self, obj):
        return str(obj.target)


@admin.register(models.PackageDictCache)
class PackageDictCacheAdmin(admin.ModelAdmin):
    """Stored package_show dicts (catalog.dict_cache): to inspect, or to delete (rebuilt on the next read)."""

    list_display = ("package", "version")
    search_fields = ("package__name",)
    list_select_related = ("package",)
    readonly_fields = ("package", "version", "data")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
