"""The dataset and group pages in a real headless Chromium, reached as API clients' ckan_url links."""
import pytest

from catalog.logic import new_context
from catalog.logic.registry import get_action
from tests.browser import MARKS, chromium_page

pytestmark = MARKS


@pytest.fixture
def catalog(transactional_db, django_user_model):
    """A group with one dataset, made through the actions before the browser starts."""
    owner = django_user_model.objects.create_user("page-owner", password="page-pass-1")
    context = lambda: new_context(user=owner)  # noqa: E731  (a fresh context per action)
    get_action("group_create")(context(), {"name": "browser-group", "title": "Browser Group"})
    dataset = get_action("package_create_rest")(context(), {
        "name": "browser-dataset",
        "title": "Browser Dataset",
        "notes": "A **bold** claim",
        "license_id": "odc-pddl",
        "tags": ["alpha", "beta"],
        "groups": ["browser-group"],
        "resources": [{"url": "http://example.com/b.csv", "format": "CSV", "description": "The file"}],
    })
    return {"owner": owner, "dataset": dataset}


@pytest.fixture
def browser_page(catalog):
    """A Chromium page, opened once the catalog exists (see tests.browser.chromium_page)."""
    with chromium_page() as page:
        yield page


def test_dataset_page_and_its_group(live_server, catalog, browser_page):
    page = browser_page
    response = page.goto(f"{live_server.url}/dataset/browser-dataset")
    assert response.status == 200
    assert page.text_content("#dataset-title").strip() == "Browser Dataset"
    assert page.inner_html("#dataset-notes").count("<strong>bold</strong>") == 1
    link = page.locator("#dataset-resources a[rel=nofollow]")
    assert (link.get_attribute("href"), link.text_content().strip()) == ("http://example.com/b.csv", "The file")
    assert sorted(t.strip() for t in page.locator("#dataset-tags li").all_text_contents()) == ["alpha", "beta"]
    assert "Open Data Commons" in page.text_content("#dataset-license")
    assert page.locator("#dataset-revisions .author").first.text_content().strip() == "page-owner"

    page.click("#dataset-groups a")
    page.wait_for_url(f"{live_server.url}/group/browser-group")
    assert page.text_content("#group-title").strip() == "Browser Group"
    page.click("#group-datasets #results h3 a")
    page.wait_for_url(f"{live_server.url}/dataset/browser-dataset")


def test_unknown_dataset_is_a_404_page(live_server, catalog, browser_page):
    assert browser_page.goto(f"{live_server.url}/dataset/no-such-dataset").status == 404
