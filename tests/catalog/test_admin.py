"""The catalog admin: every model's pages load, and admin saves are CKAN revisions."""
import pytest
import reversion.models

from catalog import models
from catalog.logic import new_context
from catalog.revisions import revision
from catalog.signals import packages_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, sysadmin):
    client.force_login(sysadmin)
    return client


@pytest.fixture
def catalog(sysadmin):
    """One of everything, written the way actions write (inside a revision)."""
    with revision(new_context(user=sysadmin, message="fixture")) as rev:
        package = models.Package.objects.create(name="admin-ds", title="Admin dataset", license_id="cc-by")
        other = models.Package.objects.create(name="admin-other")
        resource = models.Resource.objects.create(package=package, url="http://example.org/a.csv", format="CSV")
        tag = models.Tag.objects.create(name="admintag")
        package_tag = models.PackageTag.objects.create(package=package, tag=tag)
        extra = models.PackageExtra.objects.create(package=package, key="origin", value="here")
        group = models.Group.objects.create(name="admin-group", title="Admin group")
        group_extra = models.GroupExtra.objects.create(group=group, key="colour", value="blue")
        member = models.Member.objects.create(package=package, group=group)
        relationship = models.PackageRelationship.objects.create(subject=package, object=other, type="depends_on")
    rating = models.Rating.objects.create(package=package, user=sysadmin, rating=4)
    team = models.AuthorizationGroup.objects.create(name="admin-team")
    team.users.add(sysadmin)
    role = models.RoleAssignment.objects.create(user=sysadmin, role="admin", package=package)
    return {
        "package": package, "resource": resource, "tag": tag, "packagetag": package_tag,
        "packageextra": extra, "group": group, "groupextra": group_extra, "member": member,
        "packagerelationship": relationship, "rating": rating, "revision": rev,
        "authorizationgroup": team, "roleassignment": role,
    }


@pytest.mark.parametrize(
    "model_name",
    ["package", "resource", "tag", "packagetag", "packageextra", "group", "groupextra", "member",
     "packagerelationship", "rating", "revision", "authorizationgroup", "roleassignment"],
)
def test_every_model_has_working_pages(admin_client, catalog, model_name):
    obj = catalog[model_name]
    base = f"/admin/catalog/{model_name}/"
    resp = admin_client.get(base)
    assert resp.status_code == 200
    assert admin_client.get(base, {"q": "admin"}).status_code == 200
    assert admin_client.get(f"{base}{obj.pk}/change/").status_code == 200
    # Revisions are records of writes: read-only.
    assert admin_client.get(f"{base}add/").status_code == (403 if model_name == "revision" else 200)


def test_every_catalog_model_is_registered():
    from django.apps import apps
    from django.contrib import admin

    for model in apps.get_app_config("catalog").get_models():
        if model._meta.auto_created:
            continue
        assert admin.site.is_registered(model), model


@pytest.mark.parametrize("model_name", ["package", "resource", "group", "packageextra", "member"])
def test_versioned_models_show_their_history(admin_client, catalog, model_name):
    obj = catalog[model_name]
    resp = admin_client.get(f"/admin/catalog/{model_name}/{obj.pk}/history/")
    assert resp.status_code == 200
    version = reversion.models.Version.objects.get_for_object(obj).first()
    assert admin_client.get(f"/admin/catalog/{model_name}/{obj.pk}/history/{version.pk}/").status_code == 200


def test_package_list_filters(admin_client, catalog):
    resp = admin_client.get("/admin/catalog/package/", {"state__exact": "active", "license_id": "cc-by"})
    assert resp.status_code == 200 and b"admin-ds" in resp.content


def form_data(resp):
    """The POST data of an admin change form as rendered (main form + inline formsets)."""
    forms = [resp.context["adminform"].form]
    data = {}
    for inline in resp.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            data[key] = "on" if value is True else value
    return data


@pytest.fixture
def announced():
    calls = []

    def receiver(sender, package_ids, **kwargs):
        calls.append(list(package_ids))

    packages_changed.connect(receiver, dispatch_uid="test-admin")
    yield calls
    packages_changed.disconnect(dispatch_uid="test-admin")


def test_an_admin_edit_is_one_ckan_revision(admin_client, catalog, sysadmin, announced, django_capture_on_commit_callbacks):
    package = catalog["package"]
    url = f"/admin/catalog/package/{package.pk}/change/"
    data = form_data(admin_client.get(url))
    data["title"] = "Edited in the admin"
    data["resources-0-format"] = "JSON"
    before = models.Revision.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        resp = admin_client.post(url, data)
    assert resp.status_code == 302, resp.context["adminform"].form.errors if resp.context else resp
    assert models.Revision.objects.count() == before + 1
    rev = models.Revision.objects.order_by("-timestamp").first()
    assert rev.author == sysadmin.name
    assert "Title" in rev.message or "title" in rev.message
    assert rev.reversion_revision is not None
    assert rev.reversion_revision.user == sysadmin
    assert package.pk in set(rev.packages.values_list("pk", flat=True))
    package.refresh_from_db()
    resource = catalog["resource"]
    resource.refresh_from_db()
    assert package.title == "Edited in the admin" and resource.format == "JSON"
    assert package.revision_id == rev.id and resource.revision_id == rev.id
    assert announced == [[package.pk]]


def test_an_invalid_admin_post_leaves_no_revision(admin_client, catalog):
    package = catalog["package"]
    url = f"/admin/catalog/package/{package.pk}/change/"
    data = form_data(admin_client.get(url))
    data["name"] = ""
    before = models.Revision.objects.count(), reversion.models.Revision.objects.count()
    resp = admin_client.post(url, data)
    assert resp.status_code == 200
    assert (models.Revision.objects.count(), reversion.models.Revision.objects.count()) == before


def test_adding_a_resource_touches_its_dataset(admin_client, catalog, announced, django_capture_on_commit_callbacks):
    package = catalog["package"]
    with django_capture_on_commit_callbacks(execute=True):
        resp = admin_client.post(
            "/admin/catalog/resource/add/",
            {"package": package.pk, "url": "http://example.org/new.csv", "position": "1", "state": "active",
             "extras": "{}"},
        )
    assert resp.status_code == 302, resp.context["adminform"].form.errors if resp.context else resp
    resource = models.Resource.objects.get(url="http://example.org/new.csv")
    assert resource.revision_id is not None
    assert announced == [[package.pk]]


def test_editing_a_group_touches_its_datasets(admin_client, catalog, announced, django_capture_on_commit_callbacks):
    group = catalog["group"]
    url = f"/admin/catalog/group/{group.pk}/change/"
    data = form_data(admin_client.get(url))
    data["title"] = "Renamed group"
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, data).status_code == 302
    rev = models.Revision.objects.order_by("-timestamp").first()
    assert list(rev.groups.all()) == [group]
    assert announced == [[catalog["package"].pk]]


def test_purging_a_dataset_in_the_admin(admin_client, catalog, announced, django_capture_on_commit_callbacks):
    package = catalog["package"]
    url = f"/admin/catalog/package/{package.pk}/delete/"
    before = models.Revision.objects.count()
    assert admin_client.get(url).status_code == 200
    assert admin_client.post("/admin/catalog/package/", {"action": "delete_selected", "_selected_action": [package.pk]}).status_code == 200
    assert models.Revision.objects.count() == before  # confirmation pages save nothing
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not models.Package.objects.filter(pk=package.pk).exists()
    # Its relationship partner's dict loses the relationship: re-indexed too.
    assert announced == [sorted([package.pk, catalog["packagerelationship"].object_id])]


def test_bulk_delete_of_resources_touches_their_dataset(admin_client, catalog, announced, django_capture_on_commit_callbacks):
    resource = catalog["resource"]
    with django_capture_on_commit_callbacks(execute=True):
        resp = admin_client.post(
            "/admin/catalog/resource/",
            {"action": "delete_selected", "_selected_action": [resource.pk], "post": "yes"},
        )
    assert resp.status_code == 302
    assert not models.Resource.objects.filter(pk=resource.pk).exists()
    assert announced == [[catalog["package"].pk]]


@pytest.mark.parametrize(
    "fields, ok",
    [
        ({"role": "admin", "pseudo_user": "visitor"}, True),
        ({"role": "admin"}, False),
        ({"role": "admin", "pseudo_user": "visitor", "user": "SELF"}, False),
        ({"role": "admin", "pseudo_user": "visitor", "package": "PKG", "group": "GRP"}, False),
    ],
)
def test_a_role_needs_one_holder_and_one_target(admin_client, catalog, sysadmin, fields, ok):
    data = dict(fields)
    replacements = {"SELF": sysadmin.pk, "PKG": catalog["package"].pk, "GRP": catalog["group"].pk}
    data = {k: replacements.get(v, v) for k, v in data.items()}
    before = models.RoleAssignment.objects.count()
    resp = admin_client.post("/admin/catalog/roleassignment/add/", data)
    assert (resp.status_code == 302) is ok
    assert models.RoleAssignment.objects.count() == before + (1 if ok else 0)


def test_deleting_a_group_without_members_in_the_admin_is_a_revision(admin_client, django_capture_on_commit_callbacks):
    group = models.Group.objects.create(name="lonely-group")
    before = models.Revision.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(f"/admin/catalog/group/{group.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not models.Group.objects.filter(pk=group.pk).exists()
    assert models.Revision.objects.count() == before + 1
