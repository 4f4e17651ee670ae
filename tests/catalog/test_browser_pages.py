"""The public pages in a real headless Chromium: find data from the front page, tags, group pages,
a 404 in the site's layout, the favicon, and a browsable API page without a DELETE button.

`pytest --screenshots DIR` keeps a screenshot of each page visited (see tests/conftest.py).
"""
import os

import pytest

from catalog.logic import new_context
from catalog.logic.registry import get_action
from tests.browser import MARKS, chromium_page

pytestmark = MARKS


def fits(page):
    """The page fits the 1280 px window: no horizontal scrolling."""
    return page.evaluate("document.documentElement.scrollWidth") <= 1280


def word():
    return "br" + "".join(chr(ord("a") + b % 26) for b in os.urandom(8))


@pytest.fixture
def catalog(transactional_db, django_user_model):
    """Datasets under a word unique to the test (the index outlives test databases), made before the browser starts."""
    owner = django_user_model.objects.create_user("pages-" + os.urandom(3).hex(), password="pages-pass-1")
    w = word()

    def act(action, **data):
        return get_action(action)(new_context(user=owner), data)

    for i in range(2):
        act("package_create", name=f"{w}-{i:02d}", title=f"Filler {i:02d} {w}", tags=[{"name": f"{w}-common"}],
            resources=[{"url": f"http://example.com/{i}.json", "format": "JSON"}])
    target = act("package_create", name=f"{w}-target", title=f"The target {w}", notes=f"What **{w}** is about",
                 license_id="odc-odbl", tags=[{"name": f"{w}-common"}, {"name": f"{w}-rare"}],
                 resources=[{"url": "http://example.com/t.csv", "format": "CSV"}])
    return {"word": w, "target": target, "act": act}


@pytest.fixture
def big_group(catalog):
    """A group of 21 datasets: two pages of 20."""
    w, act = catalog["word"], catalog["act"]
    act("group_create", name=f"{w}-big", title=f"Big group {w}")
    for i in range(21):
        act("package_create", name=f"{w}-g{i:02d}", title=f"Member {i:02d} {w}", groups=[{"name": f"{w}-big"}])
    return f"{w}-big"


@pytest.fixture
def browser_page(catalog, request):
    """A Chromium page at 1280x900, opened once the test's data exists (see tests.browser.chromium_page)."""
    if "big_group" in request.fixturenames:
        request.getfixturevalue("big_group")
    with chromium_page() as page:
        page.set_viewport_size({"width": 1280, "height": 900})
        yield page


def test_search_from_the_front_page_and_reach_a_dataset_through_a_facet(live_server, catalog, browser_page, screenshot):
    page, w = browser_page, catalog["word"]
    page.goto(live_server.url + "/")
    assert fits(page)
    screenshot(page, "home")
    page.fill("#search-q", w)
    page.click("#search-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dataset?q={w}*")
    assert page.text_content("#result-count").strip().startswith("3 datasets found")
    assert fits(page)
    screenshot(page, "search")

    page.click(f'#facet-tags a[data-value="{w}-rare"]')
    page.wait_for_load_state()
    assert page.text_content("#result-count").strip().startswith("1 dataset found")
    assert page.locator("#active-filters a").all_text_contents() == [f"{w}-rare"]
    screenshot(page, "facet")

    page.click("#results h3 a")
    page.wait_for_url(f"{live_server.url}/dataset/{w}-target")
    assert page.text_content("#dataset-title").strip() == f"The target {w}"
    assert page.locator("#dataset-modified time").get_attribute("datetime").endswith("Z")
    assert fits(page)
    screenshot(page, "dataset")


def test_a_tag_link_leads_to_the_tag_page(live_server, catalog, browser_page, screenshot):
    page, w = browser_page, catalog["word"]
    page.goto(f"{live_server.url}/dataset/{w}-target")
    page.click(f'#dataset-tags a:text-is("{w}-rare")')
    page.wait_for_url(f"{live_server.url}/tag/{w}-rare")
    assert page.text_content("#tag-title").strip() == f"Tag: {w}-rare"
    assert page.locator("#results h3 a").all_text_contents() == [f"The target {w}"]
    screenshot(page, "tag")


def test_a_group_page_pages_through_its_datasets(live_server, big_group, browser_page, screenshot):
    page = browser_page
    page.goto(f"{live_server.url}/group/{big_group}?sort=name+asc")
    assert page.text_content("#group-title").strip().startswith("Big group")
    first = page.locator("#results h3 a").all_text_contents()
    assert len(first) == 20 and "Page 1 of 2" in page.text_content("#pager")
    assert fits(page)
    screenshot(page, "group")
    page.click("#page-next")
    page.wait_for_url(f"{live_server.url}/group/{big_group}?sort=name+asc&page=2")
    second = page.locator("#results h3 a").all_text_contents()
    assert len(second) == 1 and len(set(first + second)) == 21
    page.click("#page-previous")
    page.wait_for_url(f"{live_server.url}/group/{big_group}?sort=name+asc")


def test_a_404_is_in_the_sites_layout_with_a_way_back(live_server, catalog, browser_page, screenshot):
    page = browser_page
    response = page.goto(f"{live_server.url}/dataset/no-such-dataset-{catalog['word']}")
    assert response.status == 404
    assert page.text_content("header .brand").strip() == "ckansite"
    assert page.locator("#error-page").is_visible()
    screenshot(page, "404")
    page.click("#back-home")
    page.wait_for_url(f"{live_server.url}/")


def test_the_favicon(live_server, catalog, browser_page):
    page = browser_page
    page.goto(live_server.url + "/")
    assert page.locator('link[rel="icon"]').get_attribute("href") == "/favicon.ico"
    response = page.goto(live_server.url + "/favicon.ico")
    assert response.status == 200 and response.headers["content-type"] == "image/x-icon"


def test_the_browsable_api_shows_no_delete_button(live_server, catalog, browser_page, screenshot):
    page, name = browser_page, catalog["target"]["name"]
    response = page.goto(f"{live_server.url}/api/rest/dataset/{name}")
    assert response.status == 200 and response.headers["content-type"].startswith("text/html")
    assert page.text_content("#site-brand").strip() == "ckansite"
    assert page.locator("#api-key-note").is_visible()
    assert "X-CKAN-API-Key" in page.text_content("#curl-examples")
    assert page.get_by_role("button", name="DELETE").count() == 0
    assert page.locator("form[data-method=DELETE], form[data-method=PUT], form[method=POST]").count() == 0
    screenshot(page, "api")
