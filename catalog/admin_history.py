"""History in the admin: who changed what, when and why, field by field; a dataset can be restored whole.

django-reversion's admin offers "revert" and "recover deleted" for each
object, and both restore only the rows of one object as one revision
recorded them. Our writes version just the rows they change
(catalog.revisions), so reverting a dataset that way would restore its row
and leave its resources, tags, extras, groups and relationships as they are
now: a half-old dataset that no package_show ever showed. Those views are
gone here: every object's history and old versions are read-only pages.

A dataset's history is the list of CKAN revisions linked to it (every write
that changed its package_show dict, including changes to its children and
to its groups), each with its author, time and message and, for every row
of the dataset the write saved, the fields that changed from that row's
previous version. From there a dataset can be restored whole as it was
after any of those writes: `catalog.logic.restore` rebuilds it from the
versions of all its rows, a confirmation page shows what would change, and
package_update writes it, as one new revision, re-indexed like any write.
"""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from reversion.models import Version

from catalog import models
from catalog.admin_actions import run_action
from catalog.logic.errors import ActionError
from catalog.logic.restore import package_dict_as_of
from catalog.logic.save import PACKAGE_FIELDS

# Columns every write stamps, that never change, or that the row's description already names: noise in a diff.
UNSHOWN_FIELDS = {"id", "revision_id", "revision_timestamp", "metadata_modified", "metadata_created", "created",
                  "resource_group_id", "package_id", "tag_id", "group_id", "subject_id", "object_id"}
LONGEST_VALUE = 2000
REVISIONS_PER_PAGE = 25


class ReadOnlyHistoryMixin:
    """For a VersionAdmin: the history and old versions as read-only pages; no revert, no recover."""

    object_history_template = "admin/catalog/object_history.html"
    version_template = "admin/catalog/version.html"
    change_list_template = "admin/change_list.html"  # not reversion's, which links to "recover deleted"

    def get_urls(self):
        opts = self.model._meta
        gone = {f"{opts.app_label}_{opts.model_name}_recoverlist", f"{opts.app_label}_{opts.model_name}_recover"}
        return [url for url in super().get_urls() if getattr(url, "name", None) not in gone]

    def recoverlist_view(self, request, extra_context=None):
        raise Http404("Deleted objects are not recovered in this admin")

    def recover_view(self, request, version_id, extra_context=None):
        raise Http404("Deleted objects are not recovered in this admin")

    def _history_context(self, request, obj, title):
        opts = self.model._meta
        return dict(
            self.admin_site.each_context(request),
            title=title,
            subtitle=None,
            object=obj,
            opts=opts,
            module_name=str(capfirst(opts.verbose_name_plural)),
            app_label=opts.app_label,
            preserved_filters=self.get_preserved_filters(request),
        )

    def history_view(self, request, object_id, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj = get_object_or_404(self.model, pk=admin.utils.unquote(object_id))
        if isinstance(obj, models.Package):
            revisions = obj.revisions.filter(state=models.STATE_ACTIVE).select_related("reversion_revision")
            page = Paginator(revisions.order_by("-timestamp"), REVISIONS_PER_PAGE).get_page(request.GET.get("p"))
            entries = [package_entry(obj, rev, self._version_url) for rev in page]
            if self.has_change_permission(request, obj):
                newest = page.number == 1 and entries
                for index, (entry, rev) in enumerate(zip(entries, page)):
                    if not (newest and index == 0):
                        entry["restore_url"] = reverse(
                            f"{self.admin_site.name}:catalog_package_restore", args=[obj.pk, rev.pk])
        else:
            versions = Version.objects.get_for_object(obj).select_related("revision__ckan", "revision__user")
            page = Paginator(versions.order_by("-pk"), REVISIONS_PER_PAGE).get_page(request.GET.get("p"))
            entries = [version_entry(version, self._version_url) for version in page]
        context = self._history_context(request, obj, f"History: {obj}")
        context.update(entries=entries, page=page, **(extra_context or {}))
        return TemplateResponse(request, self.object_history_template, context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """One old version of an object: its fields then, and what that write changed. Read-only."""
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        object_id = admin.utils.unquote(object_id)
        version = get_object_or_404(
            Version.objects.select_related("revision__ckan", "revision__user"), pk=version_id, object_id=object_id
        )
        obj = self.model.objects.filter(pk=object_id).first()
        fields = [(label_of(version._model, name), show(value)) for name, value in version.field_dict.items()]
        when = version.revision.date_created
        context = self._history_context(request, obj, f"{version.object_repr} as of {when:%Y-%m-%d %H:%M:%S}")
        context.update(entry=version_entry(version, self._version_url), fields=fields, version=version,
                       **(extra_context or {}))
        return TemplateResponse(request, self.version_template, context)

    def _version_url(self, version):
        """The admin page of `version`, when its model has an admin here."""
        model = version._model
        if not self.admin_site.is_registered(model):
            return None
        opts = model._meta
        return reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                       args=[version.object_id, version.pk])


# ---------------------------------------------------------------- building entries

def package_entry(package, rev, url_of):
    """One write in a dataset's history: author, time, message, and each of the dataset's rows it saved."""
    versions = []
    if rev.reversion_revision_id:
        # A write may have saved rows of many datasets (a group's members): read only those naming this one.
        candidates = Version.objects.filter(revision_id=rev.reversion_revision_id).filter(
            Q(object_id=package.pk) | Q(serialized_data__contains=package.pk))
        versions = [version for version in candidates.select_related("content_type").order_by("pk")
                    if belongs_to(version, package.pk)]
    return {
        "when": rev.timestamp,
        "who": rev.author,
        "message": rev.message,
        "changes": [change for change in (row_change(version, url_of) for version in versions) if change["fields"]],
    }


def version_entry(version, url_of):
    """One version of one object, as a history entry."""
    revision = version.revision
    ckan = getattr(revision, "ckan", None)
    who = ckan.author if ckan else (revision.user.get_username() if revision.user else "")
    return {
        "when": ckan.timestamp if ckan else revision.date_created,
        "who": who,
        "message": ckan.message if ckan else revision.get_comment(),
        "changes": [row_change(version, url_of)],
    }


def belongs_to(version, package_id):
    """Is this version a row of the dataset `package_id` (the dataset itself, or one of its children)?"""
    model = version._model
    if model is models.Package:
        return version.object_id == package_id
    if model is models.PackageRelationship:
        data = version.field_dict
        return package_id in (data.get("subject_id"), data.get("object_id"))
    if model in (models.Resource, models.PackageTag, models.PackageExtra, models.Member):
        data = version.field_dict
        return data.get("package_id") == package_id
    return False


def previous_version(version):
    return (
        Version.objects.filter(content_type_id=version.content_type_id, object_id=version.object_id,
                               pk__lt=version.pk)
        .order_by("-pk").first()
    )


def row_change(version, url_of):
    """What one version changed: `added` with its fields, or `changed` with (field, old, new) per field."""
    new = version.field_dict
    before = previous_version(version)
    old = before.field_dict if before else None
    names = [name for name in new if name not in UNSHOWN_FIELDS]
    if old is None:
        fields = [(label_of(version._model, name), "", show(new[name])) for name in names
                  if new[name] not in ("", None, {}, [])]
    else:
        fields = [(label_of(version._model, name), show(old.get(name)), show(new[name]))
                  for name in names if old.get(name) != new[name]]
    return {
        "what": describe(version),
        "kind": "added" if old is None else "changed",
        "fields": fields,
        "url": url_of(version),
    }


def label_of(model, name):
    try:
        return capfirst(model._meta.get_field(name).verbose_name)
    except Exception:  # a column since removed from the model
        return name


def show(value):
    if value is None:
        return ""
    text = str(value)
    return text if len(text) <= LONGEST_VALUE else text[:LONGEST_VALUE] + "…"


def _name(model, pk):
    return model.objects.filter(pk=pk).values_list("name", flat=True).first() or pk


def describe(version):
    """A row as a manager reads it: "resource data.csv", "tag water", "group transport"."""
    model, data = version._model, version.field_dict
    if model is models.Package:
        return f"dataset {data.get('name')}"
    if model is models.Resource:
        return f"resource {data.get('name') or data.get('url')}"
    if model is models.PackageTag:
        return f"tag {_name(models.Tag, data.get('tag_id'))}"
    if model in (models.PackageExtra, models.GroupExtra):
        return f"extra {data.get('key')}"
    if model is models.Member:
        return f"group membership {_name(models.Group, data.get('group_id'))}"
    if model is models.PackageRelationship:
        subject, obj = _name(models.Package, data.get("subject_id")), _name(models.Package, data.get("object_id"))
        return f"relationship {subject} {data.get('type')} {obj}"
    if model is models.Group:
        return f"group {data.get('name')}"
    return f"{model._meta.verbose_name} {version.object_repr}"


class PackageRestoreMixin:
    """For the dataset admin: restore a dataset whole as it was after an earlier write of it."""

    restore_template = "admin/catalog/restore.html"

    def get_urls(self):
        restore = path("<path:object_id>/history/restore/<str:revision_id>/",
                       self.admin_site.admin_view(self.restore_view), name="catalog_package_restore")
        return [restore] + super().get_urls()

    def restore_view(self, request, object_id, revision_id):
        """GET: what restoring would change. POST: restore it, through package_update."""
        package = get_object_or_404(models.Package, pk=admin.utils.unquote(object_id))
        if not self.has_change_permission(request, package):
            raise PermissionDenied
        rev = get_object_or_404(models.Revision, pk=revision_id, packages=package, state=models.STATE_ACTIVE)
        then, warnings = package_dict_as_of(package, rev)
        change_url = reverse(f"{self.admin_site.name}:catalog_package_change", args=[package.pk])
        if request.method == "POST":
            when = rev.timestamp.strftime("%Y-%m-%d %H:%M:%S")
            try:
                run_action(request, "package_update",
                           {**then, "log_message": f"Restored the version of {when} (revision {rev.id}) in the admin"})
            except ActionError as exc:
                messages.error(request, f"Not restored: {exc}")
                return HttpResponseRedirect(request.path)
            messages.success(request, f"{package.name} is restored as it was on {when}.")
            for warning in warnings:
                messages.warning(request, warning)
            return HttpResponseRedirect(change_url)
        now = update_shape(run_action(request, "package_show", {"id": package.pk}))
        differences = [(label, old, new) for label, old, new in compare(now, then) if old != new]
        context = self._history_context(request, package, f"Restore {package.name} as it was on "
                                        f"{rev.timestamp:%Y-%m-%d %H:%M:%S}?")
        context.update(revision=rev, differences=differences, warnings=warnings, change_url=change_url)
        return TemplateResponse(request, self.restore_template, context)


def update_shape(shown):
    """A package_show dict in the shape `package_dict_as_of` gives (a package_update body)."""
    data = {field: shown.get(field) for field in PACKAGE_FIELDS}
    data["resources"] = shown["resources"]
    data["tags"] = [{"name": tag["name"]} for tag in shown["tags"]]
    data["extras"] = [{"key": extra["key"], "value": extra["value"]} for extra in shown["extras"]]
    data["groups"] = [{"id": group["id"]} for group in shown["groups"]]
    data["relationships_as_subject"] = [
        {"object": rel["object_package_id"], "type": rel["type"], "comment": rel["comment"]}
        for rel in shown["relationships_as_subject"]]
    data["relationships_as_object"] = [
        {"subject": rel["subject_package_id"], "type": rel["type"], "comment": rel["comment"]}
        for rel in shown["relationships_as_object"]]
    return data


def compare(now, then):
    """[(label, now as text, then as text)] for the dataset's fields and each of its lists."""
    package_names = dict(models.Package.objects.filter(
        pk__in=[rel.get("object") or rel.get("subject") for data in (now, then)
                for rel in data["relationships_as_subject"] + data["relationships_as_object"]]
    ).values_list("pk", "name"))
    group_names = dict(models.Group.objects.filter(
        pk__in=[group["id"] for data in (now, then) for group in data["groups"]]).values_list("pk", "name"))

    def lists(data):
        return {
            "Resources": "\n".join(f"{r.get('name') or '(no name)'} [{r.get('format') or '?'}] {r.get('url')}"
                                   for r in data["resources"]),
            "Tags": ", ".join(sorted(tag["name"] for tag in data["tags"])),
            "Extras": "\n".join(f"{e['key']} = {e['value']}" for e in sorted(data["extras"], key=lambda e: e["key"])),
            "Groups": ", ".join(sorted(group_names.get(g["id"], g["id"]) for g in data["groups"])),
            "Relationships": "\n".join(sorted(
                [f"this {r['type']} {package_names.get(r['object'], r['object'])}"
                 for r in data["relationships_as_subject"]]
                + [f"{package_names.get(r['subject'], r['subject'])} {r['type']} this"
                   for r in data["relationships_as_object"]])),
        }

    rows = [(label_of(models.Package, field), show(now.get(field)), show(then.get(field))) for field in PACKAGE_FIELDS]
    now_lists, then_lists = lists(now), lists(then)
    return rows + [(label, now_lists[label], then_lists[label]) for label in now_lists]
