"""The admin as a catalog manager uses it: the index, the dataset form, the lists, the actions, the history.

Every change is checked where clients see it: package_show and package_search
over the Action API, after the write's after-commit work (indexing) has run.
"""
import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import NoReverseMatch, reverse
from reversion.models import Version

from catalog import models
from catalog.logic.registry import _auth_functions
from tests.catalog.logic.factories import call, dataset, resource
from tests.catalog.test_admin import form_data
from tests.searchapi.conftest import unique_word

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/catalog/package/"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin_client(client, sysadmin):
    client.force_login(sysadmin)
    return client


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a request and its after-commit work (indexing), as a real request would."""

    def run(request, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return request(*args, **kwargs)

    return run


@pytest.fixture
def demo(sysadmin, search_index, django_capture_on_commit_callbacks):
    """A demo-like dataset with 3 resources, tags, extras and a group, written and indexed through the actions."""
    word = unique_word()
    with django_capture_on_commit_callbacks(execute=True):
        call("group_create", sysadmin, name="mgr-group", title="Manager group")
        call("package_create", sysadmin, name="mgr-other", title="Other")
        created = dataset(
            sysadmin,
            name="mgr-demo",
            title=f"Demo {word}",
            notes="Air quality readings.",
            license_id="cc-by",
            author="Ann Author",
            resources=[resource("a"), resource("b"), resource("c")],
            tags=[{"name": "air"}, {"name": "health"}],
            extras=[{"key": "origin", "value": "sensors"}],
            groups=[{"name": "mgr-group"}],
        )
    models.Tag.objects.get_or_create(name="pollution")
    return {"dataset": created, "word": word}


def action(client, name, user=None, **data):
    """An Action API call (anonymous, or with `user`'s API key): its result."""
    headers = {"HTTP_AUTHORIZATION": user.apikey} if user else {}
    response = client.post(f"/api/action/{name}", data=json.dumps(data), content_type="application/json", **headers)
    body = response.json()
    assert body["success"], body
    return body["result"]


def search(client, q):
    return action(client, "package_search", q=q, rows=100)


# ---------------------------------------------------------------- the index

def test_the_index_lists_what_a_manager_manages(admin_client):
    page = admin_client.get("/admin/").content.decode()
    assert "<title>Catalog management | ckansite administration</title>" in page
    assert "ckansite administration</a>" in page
    for shown in ("Datasets", "Groups", "Tags", "Users", "Authorization groups", "Role assignments", "Revisions"):
        assert f">{shown}</a>" in page, shown
    for hidden in ("Package dict caches", "Members", "Package tags", "Group extras", "Package extras",
                   "Resources", "Ratings", "Package relationships"):
        assert f">{hidden}</a>" not in page, hidden


# ---------------------------------------------------------------- the dataset form

class _Fields(HTMLParser):
    """The form controls of a page: {name: tag}."""

    def __init__(self):
        super().__init__()
        self.tags = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "textarea", "select") and attrs.get("name"):
            self.tags[attrs["name"]] = (tag, attrs.get("type"))


def controls(html):
    parser = _Fields()
    parser.feed(html)
    return parser.tags


ONE_LINE_PACKAGE = ["name", "title", "url", "version", "author", "author_email", "maintainer", "maintainer_email"]
ONE_LINE_RESOURCE = ["url", "name", "format", "hash", "mimetype", "mimetype_inner", "resource_type"]


def test_every_one_line_field_is_a_one_line_input(admin_client, demo):
    package = models.Package.objects.get(name="mgr-demo")
    page = admin_client.get(f"{CHANGELIST}{package.pk}/change/").content.decode()
    found = controls(page)
    for name in ONE_LINE_PACKAGE:
        assert found[name] == ("input", "text"), name
    for i in range(3):
        for name in ONE_LINE_RESOURCE:
            assert found[f"resources-{i}-{name}"] == ("input", "text"), name
    assert found["extras-0-value"] == ("input", "text")
    assert found["notes"][0] == "textarea"
    assert found["license_id"][0] == "select"
    for legend in ("People", "License and state", "Advanced"):
        assert f">{legend}<" in page, legend
    # Tags, groups, datasets and users are picked by autocomplete, not typed as ids.
    assert re.search(r'<select name="package_tags-0-tag"[^>]*data-ajax--url="/admin/autocomplete/"', page)
    assert re.search(r'<select name="memberships-0-group"[^>]*admin-autocomplete', page)
    assert re.search(r'<select name="roles-0-user"[^>]*admin-autocomplete', page)


def test_an_admin_edit_shows_in_package_show_and_package_search(admin_client, client, demo, committed):
    package = models.Package.objects.get(name="mgr-demo")
    url = f"{CHANGELIST}{package.pk}/change/"
    data = form_data(admin_client.get(url))
    new_word = unique_word()
    pollution = models.Tag.objects.get(name="pollution")
    data.update({
        "title": f"Edited {new_word}",
        "resources-TOTAL_FORMS": "4",
        "resources-3-url": "http://example.com/added.csv",
        "resources-3-name": "Added in the admin",
        "resources-3-format": "CSV",
        "resources-3-state": "active",
        "resources-3-position": "0",
        "resources-3-extras": "{}",
        "resources-3-package": package.pk,
        "package_tags-TOTAL_FORMS": "3",
        "package_tags-2-tag": pollution.pk,
        "package_tags-2-state": "active",
        "package_tags-2-package": package.pk,
    })
    response = committed(admin_client.post, url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response

    shown = action(client, "package_show", id="mgr-demo")
    assert shown["title"] == f"Edited {new_word}"
    assert [r["url"] for r in shown["resources"]][-1] == "http://example.com/added.csv"
    assert shown["resources"][-1]["name"] == "Added in the admin"
    assert len(shown["resources"]) == 4
    assert sorted(t["name"] for t in shown["tags"]) == ["air", "health", "pollution"]
    found = search(client, new_word)
    assert [r["name"] for r in found["results"]] == ["mgr-demo"]
    assert found["results"][0] == shown
    assert search(client, demo["word"])["count"] == 0
    assert search(client, "tags:pollution")["count"] == 1


def test_a_new_resource_goes_last(admin_client, demo, committed):
    package = models.Package.objects.get(name="mgr-demo")
    url = f"{CHANGELIST}{package.pk}/change/"
    data = form_data(admin_client.get(url))
    # The form offers position 0 for a new row: left as it is, it means "after the others".
    data.update({"resources-TOTAL_FORMS": "4", "resources-3-url": "http://example.com/last.csv",
                 "resources-3-state": "active", "resources-3-extras": "{}", "resources-3-position": "0",
                 "resources-3-package": package.pk})
    assert committed(admin_client.post, url, data).status_code == 302
    positions = dict(package.resources.values_list("url", "position"))
    assert positions["http://example.com/last.csv"] == max(positions.values())


# ---------------------------------------------------------------- the list

def test_the_list_shows_useful_columns(admin_client, demo):
    page = admin_client.get(CHANGELIST).content.decode()
    row = re.search(r'<tr>.*?mgr-demo.*?</tr>', page, re.S).group(0)
    assert '<td class="field-resource_count">3</td>' in row
    assert '<td class="field-group_names">mgr-group</td>' in row
    author = models.Revision.objects.get(id=demo["dataset"]["revision_id"]).author
    assert f'<td class="field-last_author">{author}</td>' in row
    assert '<nav class="toplinks">' in page  # the date drill-down (date_hierarchy)


@pytest.mark.parametrize("query, expected", [
    ({"q": "Air quality"}, ["mgr-demo"]),  # notes
    ({"q": "mgr-other"}, ["mgr-other"]),  # name
    ({"group": "mgr-group"}, ["mgr-demo"]),
    ({"tag": "air"}, ["mgr-demo"]),
    ({"license_id": "cc-by"}, ["mgr-demo"]),
    ({"state__exact": "deleted"}, []),
])
def test_search_and_filters(admin_client, demo, query, expected):
    response = admin_client.get(CHANGELIST, query)
    assert response.status_code == 200
    names = [package.name for package in response.context["cl"].result_list]
    assert names == expected


def test_the_list_costs_the_same_queries_for_many_datasets(admin_client, sysadmin, django_assert_max_num_queries):
    call("group_create", sysadmin, name="qc-group")
    for i in range(40):
        dataset(sysadmin, resources=[resource("a"), resource("b")], tags=[{"name": f"t{i % 7}"}],
                groups=[{"name": "qc-group"}])
    admin_client.get(CHANGELIST)  # the session and content types, once
    with django_assert_max_num_queries(14) as captured:
        response = admin_client.get(CHANGELIST)
    assert response.status_code == 200 and len(response.context["cl"].result_list) == 40
    assert response.content.decode().count("qc-group</td>") == 40
    assert len(captured.captured_queries) <= 14


# ---------------------------------------------------------------- the actions

def test_mark_deleted_and_restore_go_through_the_actions(admin_client, client, demo, sysadmin, committed):
    package = models.Package.objects.get(name="mgr-demo")
    before = models.Revision.objects.count()
    response = committed(admin_client.post, CHANGELIST, {"action": "mark_deleted", "_selected_action": [package.pk]})
    assert response.status_code == 302
    assert models.Revision.objects.count() == before + 1
    rev = models.Revision.objects.order_by("-timestamp").first()
    assert (rev.author, rev.message) == (sysadmin.name, "Marked deleted: mgr-demo (in the admin)")
    assert package.pk in set(rev.packages.values_list("pk", flat=True))
    assert search(client, demo["word"])["count"] == 0
    assert action(client, "package_show", sysadmin, id="mgr-demo")["state"] == "deleted"
    assert "mgr-demo" not in action(client, "package_list")

    response = committed(admin_client.post, CHANGELIST, {"action": "restore", "_selected_action": [package.pk]})
    assert response.status_code == 302
    assert action(client, "package_show", id="mgr-demo")["state"] == "active"
    assert [r["name"] for r in search(client, demo["word"])["results"]] == ["mgr-demo"]


def test_an_action_refused_by_its_auth_function_changes_nothing(admin_client, demo, monkeypatch, committed):
    """The list action is the action: its auth function decides, even for the admin."""
    monkeypatch.setitem(_auth_functions, "package_delete", lambda context, data_dict: {"success": False, "msg": "No"})
    package = models.Package.objects.get(name="mgr-demo")
    before = models.Revision.objects.count()
    response = committed(admin_client.post, CHANGELIST, {"action": "mark_deleted", "_selected_action": [package.pk]},
                         follow=True)
    assert "Not done for mgr-demo: No" in response.content.decode()
    assert models.Package.objects.get(pk=package.pk).state == "active"
    assert models.Revision.objects.count() == before


def test_user_actions_go_through_the_actions(admin_client, make_user, monkeypatch):
    user = make_user()
    old = user.apikey
    for name in ("user_generate_apikey", "user_sysadmin_update"):
        monkeypatch.setitem(_auth_functions, name, lambda context, data_dict: {"success": False, "msg": "No"})
    for name in ("reset_api_key", "make_sysadmin"):
        response = admin_client.post("/admin/accounts/user/", {"action": name, "_selected_action": [user.pk]},
                                     follow=True)
        assert f"Not done for {user.name}: No" in response.content.decode()
    user.refresh_from_db()
    assert (user.apikey, user.sysadmin) == (old, False)


# ---------------------------------------------------------------- history

def test_history_says_who_when_why_and_what_changed(admin_client, demo, sysadmin, committed):
    package = models.Package.objects.get(name="mgr-demo")
    url = f"{CHANGELIST}{package.pk}/change/"
    data = form_data(admin_client.get(url))
    data["title"] = "A new title"
    data["resources-1-format"] = "JSON"
    assert committed(admin_client.post, url, data).status_code == 302

    page = admin_client.get(f"{CHANGELIST}{package.pk}/history/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Changed Title" in text
    assert f"changed: dataset mgr-demo Title Demo {demo['word']} A new title" in text
    assert "changed: resource http://example.com/b.csv Format CSV JSON" in text
    assert "changed: resource http://example.com/a.csv" not in text  # saved unchanged: not listed
    assert "added: dataset mgr-demo" in text  # the creation, with its first values
    assert text.count(sysadmin.name) >= 2
    assert "<del>Demo" in page and "<ins>A new title</ins>" in page


def test_old_versions_are_shown_and_never_restored(admin_client, demo, committed):
    package = models.Package.objects.get(name="mgr-demo")
    first = Version.objects.get_for_object(package).order_by("pk").first()
    version_url = f"{CHANGELIST}{package.pk}/history/{first.pk}/"
    page = admin_client.get(version_url).content.decode()
    assert f"Demo {demo['word']}" in page
    assert "<form" not in page.split('id="content-main"')[1]
    data = form_data(admin_client.get(f"{CHANGELIST}{package.pk}/change/"))
    data["title"] = "Posted to an old version"
    before = models.Revision.objects.count()
    assert committed(admin_client.post, version_url, data).status_code == 405
    assert models.Revision.objects.count() == before
    assert models.Package.objects.get(pk=package.pk).title == f"Demo {demo['word']}"
    # "recover" is no URL of its own: the admin takes it for a dataset id, and finds none.
    recover = admin_client.get(f"{CHANGELIST}recover/", follow=True).content.decode()
    assert "Recover deleted" not in recover and "recover” doesn’t exist" in recover
    for name, args in (("recoverlist", []), ("recover", [first.pk])):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:catalog_package_{name}", args=args)
    assert "recover" not in admin_client.get(CHANGELIST).content.decode().lower()


def test_history_of_other_objects_is_readable(admin_client, demo, sysadmin):
    group = models.Group.objects.get(name="mgr-group")
    page = admin_client.get(f"/admin/catalog/group/{group.pk}/history/").content.decode()
    assert "added: " in page and "group mgr-group" in page and sysadmin.name in page


@pytest.mark.parametrize("name, message", [
    ("Has Capitals", "Url must be purely lowercase alphanumeric"),
    ("x", "Name must be at least 2 characters long"),
    ("mgr-other", "already in use"),
])
def test_the_dataset_form_applies_the_apis_rules(admin_client, demo, name, message):
    package = models.Package.objects.get(name="mgr-demo")
    url = f"{CHANGELIST}{package.pk}/change/"
    data = form_data(admin_client.get(url))
    data["name"] = name
    before = models.Revision.objects.count()
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["name"]
    assert any(message in error for error in errors), errors
    assert models.Revision.objects.count() == before
    assert models.Package.objects.get(pk=package.pk).name == "mgr-demo"


@pytest.mark.parametrize("field, value, message", [
    ("resources-0-url", "", "This field is required."),
    ("extras-0-key", "title", "There is a schema field with the same name: title"),
])
def test_resources_and_extras_follow_the_apis_rules(admin_client, demo, field, value, message):
    package = models.Package.objects.get(name="mgr-demo")
    url = f"{CHANGELIST}{package.pk}/change/"
    data = form_data(admin_client.get(url))
    data[field] = value
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    shown = models.Package.objects.get(pk=package.pk)
    assert shown.resources.filter(url="").count() == 0 and not shown.extras.filter(key="title").exists()


def test_the_revision_list_costs_the_same_queries_for_many_writes(admin_client, sysadmin,
                                                                 django_assert_max_num_queries):
    for _ in range(30):
        dataset(sysadmin, resources=[resource("a")])
    admin_client.get("/admin/catalog/revision/")
    with django_assert_max_num_queries(10):
        response = admin_client.get("/admin/catalog/revision/")
    rows = response.context["cl"].result_list
    assert len(rows) >= 30 and all(row.packages.all() for row in rows[:30])
