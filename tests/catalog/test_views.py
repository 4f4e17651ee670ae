"""The dataset and group pages (catalog/views.py) that ckan_url links point at."""
import pytest

from catalog.logic import new_context
from catalog.logic.registry import get_action
from tests.querycount import counted

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(make_user):
    return make_user(fullname="Olga Owner")


@pytest.fixture
def dataset(owner, django_capture_on_commit_callbacks):
    """A dataset in a group, indexed (a group page lists its datasets through search)."""
    group = get_action("group_create")(new_context(user=owner), {"name": "page-group", "title": "Page Group"})
    with django_capture_on_commit_callbacks(execute=True):
        return get_action("package_create_rest")(
            new_context(user=owner),
            {
                "name": "page-dataset",
                "title": "Page <Dataset>",
                "notes": "Some *notes* <script>alert(1)</script>",
                "license_id": "cc-by",
                "tags": ["river", "water quality"],
                "groups": [group["name"]],
                "resources": [
                    {"url": "http://example.com/data.csv", "format": "CSV", "description": "The data"},
                    {"url": "javascript:alert(1)", "description": "Sneaky"},
                ],
            },
        )


def test_dataset_page_shows_the_dataset(client, dataset, owner):
    resp = client.get("/dataset/page-dataset")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Page &lt;Dataset&gt;" in html
    assert "<em>notes</em>" in html and "<script>alert" not in html
    assert 'href="http://example.com/data.csv"' in html and 'href="javascript:' not in html
    assert "river" in html and "water quality" in html
    assert "Creative Commons Attribution" in html
    assert 'href="/group/page-group"' in html
    assert owner.name in html  # the revision history names its author


def test_dataset_page_by_id_works_too(client, dataset):
    assert client.get(f"/dataset/{dataset['id']}").status_code == 200


def test_ckan_url_leads_to_the_page(client, dataset, settings):
    got = client.get("/api/rest/dataset/page-dataset").json()
    path = got["ckan_url"].removeprefix(settings.CKAN_SITE_URL)
    assert client.get(path).status_code == 200


def test_unknown_dataset_is_404(client, db):
    assert client.get("/dataset/no-such-dataset").status_code == 404


def test_deleted_dataset_is_404_except_for_who_may_see_it(client, dataset, owner, make_user):
    get_action("package_delete")(new_context(user=owner), {"id": dataset["id"]})
    assert client.get("/dataset/page-dataset").status_code == 404
    client.force_login(make_user())
    assert client.get("/dataset/page-dataset").status_code == 404
    client.force_login(owner)
    resp = client.get("/dataset/page-dataset")
    assert resp.status_code == 200 and "deleted" in resp.content.decode()


def test_group_page_lists_its_datasets(client, dataset):
    resp = client.get("/group/page-group")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Page Group" in html and 'href="/dataset/page-dataset"' in html


def test_unknown_group_is_404(client, db):
    assert client.get("/group/no-such-group").status_code == 404


def test_page_query_count_is_fixed_whatever_the_datasets_size(client, dataset, owner):
    """A dataset with 12 resources, tags, groups and revisions costs what the small one does."""
    groups = [get_action("group_create")(new_context(user=owner), {"name": f"big-group-{i}"})["name"]
              for i in range(12)]
    big = get_action("package_create_rest")(new_context(user=owner), {
        "name": "big-dataset", "title": "Big dataset", "tags": [f"big-tag-{i}" for i in range(12)], "groups": groups,
        "resources": [{"url": f"http://example.com/{i}.csv", "description": f"Part {i}"} for i in range(12)],
    })
    for i in range(11):
        get_action("package_update_rest")(new_context(user=owner, message=f"Version {i}"), {"id": big["id"], "notes": str(i)})
    small_count, small = counted(lambda: client.get("/dataset/page-dataset"))
    big_count, page = counted(lambda: client.get("/dataset/big-dataset"))
    html = page.content.decode()
    assert "Page &lt;Dataset&gt;" in small.content.decode()
    assert all(f"http://example.com/{i}.csv" in html and f"big-tag-{i}" in html and f"big-group-{i}" in html
               for i in range(12))
    assert all(f"Version {i}<" in html for i in range(11))  # every revision's message is listed
    assert small_count == big_count <= 25, (small_count, big_count)


def test_the_front_page_lists_recent_datasets_and_groups(client, sysadmin):
    from catalog.logic import new_context
    from catalog.logic.action.create import group_create, package_create

    context = new_context(user=sysadmin)
    group_create(dict(context), {"name": "front-group", "title": "Front Group"})
    package_create(dict(context), {"name": "front-ds", "title": "Front <b>Dataset</b>", "groups": [{"name": "front-group"}]})
    resp = client.get("/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert 'href="/dataset/front-ds"' in html and "Front &lt;b&gt;Dataset&lt;/b&gt;" in html
    assert 'href="/group/front-group"' in html and "(1 datasets)" in html
