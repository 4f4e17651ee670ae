"""The Django admin ("ckansite administration"): what a catalog manager manages.

The index lists what a manager works with: datasets, groups, tags, users,
authorization groups, roles and revisions. A dataset's resources, tags,
extras, group memberships, relationships and roles are edited on its own
page, as compact inlines (autocomplete for tags, groups, users and datasets);
the tables behind them stay registered (their history pages and the
autocompletes need them) but are left off the index.

A save in the admin is a catalog write like any other: `CatalogVersionAdmin`
runs each POST inside `catalog.revisions.revision()`, so it makes one CKAN
Revision (author = the admin user, message = the admin's change message)
linked to one django-reversion revision, stamps `revision_id`, and its
change set (catalog.changes) finds what the rows saved changed, exactly as
for an API write: history, stored dicts and search follow. A POST that saves
nothing (a form with errors, a delete confirmation page) leaves no Revision
behind. The list actions (mark deleted, restore, reset API key, make
sysadmin) and deleting a dataset or group (a purge) call the actions of
catalog.logic, so their rules are the API's.

History is shown row by row; a dataset is restored whole or not at all (catalog.admin_history).
"""
from contextlib import contextmanager

import reversion
from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group as UnusedPermissionGroup
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.utils import formats, timezone
from django.utils.html import format_html
from reversion.admin import VersionAdmin

from catalog import models
from catalog.admin_actions import run_action, run_for_each
from catalog.admin_history import PackageRestoreMixin, ReadOnlyHistoryMixin
from catalog.licenses import LICENSES, get_license
from catalog.logic import new_context
from catalog.logic.errors import ValidationError
from catalog.logic.save import PACKAGE_FIELDS
from catalog.logic import validators
from catalog.logic.schemas import (
    RESERVED_EXTRA_KEYS,
    RESOURCE_NULLABLE_TEXT_FIELDS,
    RESOURCE_TEXT_FIELDS,
    validate_package,
    validate_resource,
)
from catalog.revisions import current_changes, discard_revision, revision

ADMIN_MESSAGE = "Changed in the admin"

admin.site.site_header = "ckansite administration"
admin.site.site_title = "ckansite administration"
admin.site.index_title = "Catalog management"
# Django's permission groups: our users' rights are `sysadmin` and roles, never these.
if admin.site.is_registered(UnusedPermissionGroup):
    admin.site.unregister(UnusedPermissionGroup)


def one_line(size=None):
    """A one-line input for a text column: titles, URLs, names and emails are never paragraphs."""
    attrs = {"class": "vTextField"}
    if size:
        attrs["class"] = f"vTextField ckan-{size}"
    return forms.TextInput(attrs=attrs)


def hidden_from_index(admin_class):
    """Keep a table's admin (its history pages, its autocomplete) but leave it off the index."""
    admin_class.get_model_perms = lambda self, request: {}
    return admin_class


class CatalogVersionAdmin(ReadOnlyHistoryMixin, VersionAdmin):
    """A VersionAdmin whose writes are CKAN revisions (see the module docstring)."""

    history_latest_first = True

    class Media:
        css = {"all": ("catalog/admin.css",)}

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


class CompactTabularInline(admin.TabularInline):
    """A table of small rows; no empty rows until the manager asks for one."""

    extra = 0
    show_change_link = False


# ---------------------------------------------------------------- datasets

def license_choices(current=""):
    """The license register as choices, keeping a value outside it (the API accepts any id)."""
    choices = [("", "(none)")] + [(lic["id"], lic["title"]) for lic in LICENSES]
    if current and get_license(current) is None:
        choices.append((current, f"{current} (not in the register)"))
    return choices


class PackageForm(forms.ModelForm):
    """The dataset form: one-line inputs for one-line fields, the license from the register."""

    license_id = forms.ChoiceField(label="License", required=False)

    class Meta:
        model = models.Package
        fields = "__all__"
        widgets = {
            "title": one_line("wide"),
            "url": one_line("wide"),
            "author": one_line(),
            "author_email": one_line(),
            "maintainer": one_line(),
            "maintainer_email": one_line(),
            "notes": forms.Textarea(attrs={"rows": 6, "class": "ckan-wide"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.initial.get("license_id") or (self.data.get(self.add_prefix("license_id")) if self.data else "")
        self.fields["license_id"].choices = license_choices(current)

    def clean(self):
        """The dataset's own fields must pass the API's schema (one rule for names, text, state...)."""
        data = super().clean()
        fields = {field: data[field] for field in PACKAGE_FIELDS if field in data}
        try:
            validate_package(fields, new_context(), package=self.instance if self.instance.pk else None)
        except ValidationError as exc:
            for field, messages in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return data


class ResourceForm(forms.ModelForm):
    class Meta:
        model = models.Resource
        fields = "__all__"
        widgets = {
            "url": one_line("wide"),
            "name": one_line(),
            "format": one_line("short"),
            "description": forms.Textarea(attrs={"rows": 2, "class": "ckan-wide"}),
            "hash": one_line(),
            "mimetype": one_line("short"),
            "mimetype_inner": one_line("short"),
            "resource_type": one_line("short"),
            "cache_url": one_line("wide"),
            "webstore_url": one_line("wide"),
            "extras": forms.Textarea(attrs={"rows": 2, "class": "ckan-wide"}),
        }

    def clean(self):
        """A resource's text fields must pass the API's resource schema."""
        data = super().clean()
        fields = {field: data[field] for field in RESOURCE_TEXT_FIELDS + RESOURCE_NULLABLE_TEXT_FIELDS + ["size"]
                  if field in data}
        try:
            validate_resource(fields)
        except ValidationError as exc:
            for field, messages in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return data


class ResourceInline(admin.StackedInline):
    """A dataset's resources in their order; the rarely used fields folded away."""

    model = models.Resource
    form = ResourceForm
    extra = 0
    ordering = ("position",)
    fieldsets = (
        (None, {"fields": ("url", ("name", "format", "state"), "description")}),
        ("More about this resource", {
            "classes": ("collapse",),
            "fields": (
                ("mimetype", "mimetype_inner", "resource_type"), ("size", "hash"), "position",
                "last_modified", "cache_url", "cache_last_updated", "webstore_url", "webstore_last_updated",
                "extras",
            ),
        }),
    )


class ExtraForm(forms.ModelForm):
    """An extra's key follows the API's rule (and, for a dataset, is not one of its own fields)."""

    reserved_keys = frozenset()

    class Meta:
        fields = ("key", "value", "state")
        widgets = {"key": one_line(), "value": one_line("wide")}

    def clean_key(self):
        key = self.cleaned_data.get("key")
        messages = validators.extra_key_errors(key)
        if not messages and key in self.reserved_keys:
            messages = [f"There is a schema field with the same name: {key}"]
        if messages:
            raise forms.ValidationError(messages)
        return key


class PackageExtraForm(ExtraForm):
    reserved_keys = RESERVED_EXTRA_KEYS

    class Meta(ExtraForm.Meta):
        model = models.PackageExtra


class PackageExtraInline(CompactTabularInline):
    model = models.PackageExtra
    form = PackageExtraForm
    verbose_name = "extra"
    verbose_name_plural = "extras"


class PackageTagInline(CompactTabularInline):
    model = models.PackageTag
    fields = ("tag", "state")
    autocomplete_fields = ("tag",)
    verbose_name = "tag"
    verbose_name_plural = "tags"


class PackageMemberInline(CompactTabularInline):
    model = models.Member
    fields = ("group", "capacity", "state")
    autocomplete_fields = ("group",)
    verbose_name = "group membership"


class RelationshipForm(forms.ModelForm):
    class Meta:
        model = models.PackageRelationship
        fields = ("subject", "type", "object", "comment", "state")
        widgets = {"comment": one_line()}


class RelationshipInline(CompactTabularInline):
    """Relationships this dataset is the subject of (`this depends_on that`)."""

    model = models.PackageRelationship
    form = RelationshipForm
    fk_name = "subject"
    fields = ("type", "object", "comment", "state")
    autocomplete_fields = ("object",)
    verbose_name = "relationship to another dataset"
    verbose_name_plural = "relationships (this dataset is the subject)"


class RelationshipToInline(RelationshipInline):
    """Relationships another dataset holds to this one (`that depends_on this`)."""

    fk_name = "object"
    fields = ("subject", "type", "comment", "state")
    autocomplete_fields = ("subject",)
    verbose_name = "relationship from another dataset"
    verbose_name_plural = "relationships (this dataset is the object)"


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
            raise forms.ValidationError(
                "A role is held on a dataset or a group (or neither, for the system), not both.")
        return data


class PackageRoleInline(CompactTabularInline):
    model = models.RoleAssignment
    form = RoleAssignmentForm
    fk_name = "package"
    fields = ("role", "user", "authorization_group", "pseudo_user")
    autocomplete_fields = ("user", "authorization_group")
    verbose_name = "role"
    verbose_name_plural = "roles on this dataset"


class LicenseFilter(admin.SimpleListFilter):
    """By license: those the datasets use, with the register's titles."""

    title = "license"
    parameter_name = "license_id"

    def lookups(self, request, model_admin):
        used = models.Package.objects.order_by("license_id").values_list("license_id", flat=True).distinct()
        return [(license_id, (get_license(license_id) or {}).get("title", license_id)) for license_id in used
                if license_id]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(license_id=self.value())
        return queryset


class GroupFilter(admin.SimpleListFilter):
    """Datasets that are active members of a group."""

    title = "group"
    parameter_name = "group"

    def lookups(self, request, model_admin):
        return list(models.Group.objects.filter(state=models.STATE_ACTIVE).values_list("name", "title"))

    def queryset(self, request, queryset):
        if self.value():
            members = models.Member.objects.filter(group__name=self.value(), state=models.STATE_ACTIVE)
            return queryset.filter(id__in=members.values("package_id"))
        return queryset


class ModifiedFilter(admin.DateFieldListFilter):
    """By last modification: today, the past 7 days, this month, this year."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "last modified"


class TagFilter(admin.SimpleListFilter):
    """Datasets carrying a tag: the most used tags are offered, any tag works as `?tag=name`."""

    title = "tag"
    parameter_name = "tag"
    OFFERED = 30

    def lookups(self, request, model_admin):
        popular = (
            models.Tag.objects.filter(package_tags__state=models.STATE_ACTIVE)
            .annotate(uses=Count("package_tags"))
            .order_by("-uses", "name")
            .values_list("name", flat=True)[: self.OFFERED]
        )
        names = sorted(popular)
        if self.value() and self.value() not in names:
            names.append(self.value())
        return [(name, name) for name in names]

    def queryset(self, request, queryset):
        if self.value():
            uses = models.PackageTag.objects.filter(tag__name=self.value(), state=models.STATE_ACTIVE)
            return queryset.filter(id__in=uses.values("package_id"))
        return queryset


@admin.register(models.Package)
class PackageAdmin(PackageRestoreMixin, CatalogVersionAdmin):
    """Datasets: the list a manager works from, and the page that edits one whole dataset."""

    form = PackageForm
    # What fits beside the sidebar and the filters at 1280 px; the license is a filter.
    list_display = ("name", "title", "state", "resource_count", "group_names", "modified", "last_author")
    list_filter = ("state", LicenseFilter, GroupFilter, TagFilter, ("metadata_modified", ModifiedFilter))
    search_fields = ("name", "title", "notes", "=id")
    date_hierarchy = "metadata_modified"
    ordering = ("-metadata_modified",)
    list_per_page = 50
    readonly_fields = ("id", "metadata_created", "metadata_modified", "revision_id", "revision_timestamp")
    fieldsets = (
        (None, {"fields": ("name", "title", "notes", "url", "version")}),
        ("People", {"fields": (("author", "author_email"), ("maintainer", "maintainer_email"))}),
        ("License and state", {"fields": ("license_id", "state")}),
        ("Advanced", {"classes": ("collapse",), "fields": (
            "type", "id", ("metadata_created", "metadata_modified"), ("revision_id", "revision_timestamp"),
        )}),
    )
    inlines = [ResourceInline, PackageTagInline, PackageExtraInline, PackageMemberInline,
               RelationshipInline, RelationshipToInline, PackageRoleInline]
    actions = ["mark_deleted", "restore"]

    def get_queryset(self, request):
        last_author = models.Revision.objects.filter(id=OuterRef("revision_id")).values("author")[:1]
        memberships = models.Member.objects.filter(state=models.STATE_ACTIVE).select_related("group").order_by(
            "group__name")
        return (
            super().get_queryset(request)
            .annotate(
                active_resources=Count("resources", filter=Q(resources__state=models.STATE_ACTIVE), distinct=True),
                last_author_name=Subquery(last_author),
            )
            .prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="active_memberships"))
            .order_by("name")  # the list orders by `ordering`; the autocomplete by name
        )

    @admin.display(description="modified", ordering="metadata_modified")
    def modified(self, obj):
        when = timezone.localtime(obj.metadata_modified)
        return format_html('<time datetime="{}" title="{}">{}</time>', when.isoformat(),
                           formats.date_format(when, "DATETIME_FORMAT"), formats.date_format(when, "Y-m-d"))

    @admin.display(description="files", ordering="active_resources")
    def resource_count(self, obj):
        return obj.active_resources

    @admin.display(description="groups")
    def group_names(self, obj):
        return ", ".join(member.group.name for member in obj.active_memberships)

    @admin.display(description="changed by", ordering="last_author_name")
    def last_author(self, obj):
        return obj.last_author_name or ""

    def save_formset(self, request, form, formset, change):
        if formset.model is models.Resource:
            _place_new_resources(form.instance, formset)
        super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        """Deleting here purges, through dataset_purge (to delete as the API does, use "mark deleted")."""
        run_action(request, "dataset_purge", {"id": obj.pk})

    def delete_queryset(self, request, queryset):
        for package in queryset:
            self.delete_model(request, package)

    @admin.action(description="Mark deleted (as the API deletes)")
    def mark_deleted(self, request, queryset):
        run_for_each(self, request, queryset.exclude(state=models.STATE_DELETED), "package_delete",
                     lambda package: {"id": package.pk}, "Marked deleted")

    @admin.action(description="Restore (make active again)")
    def restore(self, request, queryset):
        run_for_each(self, request, queryset.exclude(state=models.STATE_ACTIVE), "package_patch",
                     lambda package: {"id": package.pk, "state": models.STATE_ACTIVE}, "Restored")


def _place_new_resources(package, formset):
    """New resources go after the existing ones unless the manager gave them a position."""
    if not package.pk:
        return
    last = max((r.position for r in models.Resource.objects.filter(package=package)), default=-1)
    for form in formset.forms:
        if form.instance._state.adding and form.has_changed() and "position" not in form.changed_data:
            last += 1
            form.instance.position = last


@hidden_from_index
@admin.register(models.Resource)
class ResourceAdmin(CatalogVersionAdmin):
    form = ResourceForm
    list_display = ("url", "name", "package", "format", "position", "state")
    list_filter = ("state",)
    search_fields = ("=id", "url", "name", "description", "package__name")
    list_select_related = ("package",)
    autocomplete_fields = ("package",)
    readonly_fields = ("id", "created", "revision_id", "revision_timestamp")


@admin.register(models.Tag)
class TagAdmin(admin.ModelAdmin):
    """Tags are shared by datasets: renaming one renames it on every dataset (and re-indexes them)."""

    list_display = ("name", "dataset_count")
    search_fields = ("name",)
    readonly_fields = ("id",)

    def get_queryset(self, request):
        # Counting drops Meta.ordering (a GROUP BY): order again, for the autocomplete's pages.
        return super().get_queryset(request).annotate(
            datasets=Count("package_tags", filter=Q(package_tags__state=models.STATE_ACTIVE))).order_by("name")

    @admin.display(description="datasets", ordering="datasets")
    def dataset_count(self, obj):
        return obj.datasets


@hidden_from_index
@admin.register(models.PackageTag)
class PackageTagAdmin(CatalogVersionAdmin):
    list_display = ("package", "tag", "state")
    list_filter = ("state",)
    search_fields = ("package__name", "tag__name")
    list_select_related = ("package", "tag")
    autocomplete_fields = ("package", "tag")
    readonly_fields = ("id", "revision_id", "revision_timestamp")


@hidden_from_index
@admin.register(models.PackageExtra)
class PackageExtraAdmin(CatalogVersionAdmin):
    form = PackageExtraForm
    fields = ("package", "key", "value", "state")
    list_display = ("key", "value", "package", "state")
    list_filter = ("state",)
    search_fields = ("key", "value", "package__name")
    list_select_related = ("package",)
    autocomplete_fields = ("package",)
    readonly_fields = ("id", "revision_id", "revision_timestamp")


@hidden_from_index
@admin.register(models.PackageRelationship)
class PackageRelationshipAdmin(CatalogVersionAdmin):
    form = RelationshipForm
    list_display = ("subject", "type", "object", "state")
    list_filter = ("type", "state")
    search_fields = ("subject__name", "object__name", "comment")
    list_select_related = ("subject", "object")
    autocomplete_fields = ("subject", "object")
    readonly_fields = ("id", "revision_id", "revision_timestamp")


@hidden_from_index
@admin.register(models.Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("package", "rating", "user", "user_ip", "created")
    list_filter = ("rating",)
    search_fields = ("package__name", "user__name", "user_ip")
    list_select_related = ("package", "user")
    autocomplete_fields = ("package", "user")
    readonly_fields = ("id",)


# ---------------------------------------------------------------- groups

class GroupExtraForm(ExtraForm):
    class Meta(ExtraForm.Meta):
        model = models.GroupExtra


class GroupExtraInline(CompactTabularInline):
    model = models.GroupExtra
    form = GroupExtraForm
    verbose_name = "extra"
    verbose_name_plural = "extras"


class GroupMemberInline(CompactTabularInline):
    model = models.Member
    fields = ("package", "capacity", "state")
    autocomplete_fields = ("package",)
    verbose_name = "dataset"
    verbose_name_plural = "datasets in this group"


class GroupRoleInline(PackageRoleInline):
    fk_name = "group"
    verbose_name_plural = "roles on this group"


class GroupForm(forms.ModelForm):
    class Meta:
        model = models.Group
        fields = "__all__"
        widgets = {
            "title": one_line("wide"),
            "type": one_line("short"),
            "approval_status": one_line("short"),
            "description": forms.Textarea(attrs={"rows": 4, "class": "ckan-wide"}),
        }


@admin.register(models.Group)
class GroupAdmin(CatalogVersionAdmin):
    form = GroupForm
    list_display = ("name", "title", "state", "dataset_count", "created")
    list_filter = ("state", "type", "approval_status")
    search_fields = ("name", "title", "description", "=id")
    readonly_fields = ("id", "created", "revision_id", "revision_timestamp")
    fieldsets = (
        (None, {"fields": ("name", "title", "description", "state")}),
        ("Advanced", {"classes": ("collapse",), "fields": (
            ("type", "approval_status"), "id", "created", ("revision_id", "revision_timestamp"),
        )}),
    )
    inlines = [GroupExtraInline, GroupMemberInline, GroupRoleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            datasets=Count("memberships", filter=Q(memberships__state=models.STATE_ACTIVE))).order_by("name")

    @admin.display(description="datasets", ordering="datasets")
    def dataset_count(self, obj):
        return obj.datasets

    def delete_model(self, request, obj):
        """Deleting here purges, through group_purge (to delete as the API does, set its state)."""
        run_action(request, "group_purge", {"id": obj.pk})

    def delete_queryset(self, request, queryset):
        for group in queryset:
            self.delete_model(request, group)


@hidden_from_index
@admin.register(models.GroupExtra)
class GroupExtraAdmin(CatalogVersionAdmin):
    form = GroupExtraForm
    fields = ("group", "key", "value", "state")
    list_display = ("key", "value", "group", "state")
    list_filter = ("state",)
    search_fields = ("key", "value", "group__name")
    list_select_related = ("group",)
    autocomplete_fields = ("group",)
    readonly_fields = ("id", "revision_id", "revision_timestamp")


@hidden_from_index
@admin.register(models.Member)
class MemberAdmin(CatalogVersionAdmin):
    list_display = ("package", "group", "capacity", "state")
    list_filter = ("state", "capacity")
    search_fields = ("package__name", "group__name")
    list_select_related = ("package", "group")
    autocomplete_fields = ("package", "group")
    readonly_fields = ("id", "revision_id", "revision_timestamp")


# ---------------------------------------------------------------- revisions and rights

@admin.register(models.Revision)
class RevisionAdmin(admin.ModelAdmin):
    """CKAN revisions, read-only: who changed what, when, and why."""

    list_display = ("timestamp", "author", "message", "dataset_names", "state")
    list_filter = ("state",)
    search_fields = ("=id", "author", "message", "packages__name")
    date_hierarchy = "timestamp"
    fields = ("id", "timestamp", "author", "message", "state", "approved_timestamp", "packages", "groups",
              "pending_package")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(
            Prefetch("packages", queryset=models.Package.objects.only("id", "name").order_by("name")))

    @admin.display(description="datasets")
    def dataset_names(self, obj):
        names = [package.name for package in obj.packages.all()]
        return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.AuthorizationGroup)
class AuthorizationGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "created")
    search_fields = ("name", "users__name")
    autocomplete_fields = ("users",)
    readonly_fields = ("id",)


@admin.register(models.RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    """Every role, including the system-wide ones (held on no dataset or group)."""

    form = RoleAssignmentForm
    list_display = ("role", "holder_display", "target_display")
    list_filter = ("role", "pseudo_user")
    search_fields = ("user__name", "authorization_group__name", "package__name", "group__name")
    list_select_related = ("user", "authorization_group", "package", "group")
    autocomplete_fields = ("user", "authorization_group", "package", "group")

    @admin.display(description="holder")
    def holder_display(self, obj):
        return str(obj.holder)

    @admin.display(description="on")
    def target_display(self, obj):
        return str(obj.target)


@hidden_from_index
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


from catalog import admin_users  # noqa: E402,F401  (registers the user admin: accounts may not import the catalog)
