"""The admin in a real headless Chromium, as a catalog manager uses it at 1280 px.

Log in, open a demo-like dataset with 3 resources, check the form fits the
window and shows one-line fields as one-line inputs, change the title, add a
resource, add a tag by autocomplete, save; then see the change where clients
see it: package_show and package_search; then restore the first version.
`--screenshots DIR` keeps a screenshot of each page visited (the
`screenshot` fixture of tests/conftest.py).
"""
import os

import pytest

from catalog.logic import new_context
from catalog.logic.registry import get_action
from catalog.models import Tag
from tests.browser import MARKS, chromium_page

pytestmark = MARKS

WIDTH = 1280
PASSWORD = "admin-browser-pass-1"
ONE_LINE_FIELDS = ["name", "title", "url", "version", "author", "author_email", "maintainer", "maintainer_email"]
ONE_LINE_RESOURCE_FIELDS = ["url", "name", "format", "hash", "mimetype", "mimetype_inner", "resource_type"]


def _word():
    return "zq" + "".join(chr(ord("a") + b % 26) for b in os.urandom(10))


@pytest.fixture
def catalog(transactional_db, django_user_model):
    """A sysadmin and a demo-like dataset, made through the actions (and indexed) before the browser starts."""
    manager = django_user_model.objects.create_user("admin-browser", password=PASSWORD, sysadmin=True)
    context = lambda: new_context(user=manager)  # noqa: E731  (a fresh context per action)
    get_action("group_create")(context(), {"name": "air", "title": "Air"})
    word = _word()
    get_action("package_create")(context(), {
        "name": "air-quality-eastford",
        "title": f"Air quality {word}",
        "notes": "Hourly readings from the **Eastford** monitoring stations.",
        "license_id": "odc-odbl",
        "author": "Eastford Council",
        "author_email": "data@eastford.example.org",
        "maintainer": "Environment team",
        "maintainer_email": "environment@eastford.example.org",
        "url": "http://eastford.example.org/air",
        "version": "2.1",
        "tags": [{"name": "air-quality"}, {"name": "environment"}],
        "extras": [{"key": "frequency", "value": "hourly"},
                   {"key": "coverage", "value": "Eastford and nearby villages"}],
        "groups": [{"name": "air"}],
        "resources": [
            {"url": f"http://eastford.example.org/air/{year}.csv", "name": f"Readings {year}", "format": "CSV",
             "description": f"All stations, {year}", "mimetype": "text/csv", "hash": "sha1:" + "0" * 40}
            for year in (2024, 2025, 2026)
        ],
    })
    Tag.objects.create(name="pollution")  # offered by the tag autocomplete
    return {"manager": manager, "word": word}


@pytest.fixture
def browser_page(catalog):
    with chromium_page() as page:
        page.set_viewport_size({"width": WIDTH, "height": 900})
        yield page


def api(page, base, action, **params):
    response = page.request.get(f"{base}/api/3/action/{action}", params=params)
    assert response.ok, response.text()
    body = response.json()
    assert body["success"], body
    return body["result"]


def test_edit_a_dataset_in_the_admin(live_server, catalog, browser_page, screenshot):
    page, base = browser_page, live_server.url

    page.goto(f"{base}/admin/")
    page.fill("input[name=username]", "admin-browser")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    assert "ckansite administration" in page.title()
    screenshot(page, "index")

    page.click("text=Datasets")
    page.wait_for_url(f"{base}/admin/catalog/package/")
    results = page.locator("#changelist .results")
    widths = results.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert widths[0] <= widths[1], f"the list of datasets scrolls sideways: {widths}"
    screenshot(page, "dataset-list")
    page.click("text=air-quality-eastford")
    page.wait_for_selector("#package_form")

    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    tags = {name: page.eval_on_selector(f"[name='{name}']", "e => e.tagName + ':' + (e.type || '')")
            for name in ONE_LINE_FIELDS
            + [f"resources-{i}-{field}" for i in range(3) for field in ONE_LINE_RESOURCE_FIELDS]
            + ["extras-0-value", "extras-1-value"]}
    assert {name: tag for name, tag in tags.items() if tag != "INPUT:text"} == {}
    screenshot(page, "dataset-form")

    new_word = _word()
    page.fill("input[name=title]", f"Air quality {new_word}")

    page.click("#resources-group .add-row a")
    page.fill("input[name='resources-3-url']", "http://eastford.example.org/air/stations.json")
    page.fill("input[name='resources-3-name']", "Station list")
    page.fill("input[name='resources-3-format']", "JSON")

    page.click("#package_tags-group .add-row a")
    page.locator("#package_tags-group tr.dynamic-package_tags .select2-selection").last.click()
    page.fill(".select2-search__field", "pollu")
    page.click(".select2-results__option:has-text('pollution')")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    screenshot(page, "dataset-form-edited")

    page.click("input[name=_save]")
    page.wait_for_url(f"{base}/admin/catalog/package/")
    assert "was changed successfully" in page.text_content(".messagelist")

    shown = api(page, base, "package_show", id="air-quality-eastford")
    assert shown["title"] == f"Air quality {new_word}"
    assert [(r["name"], r["format"]) for r in shown["resources"]] == [
        ("Readings 2024", "CSV"), ("Readings 2025", "CSV"), ("Readings 2026", "CSV"), ("Station list", "JSON")]
    assert sorted(t["name"] for t in shown["tags"]) == ["air-quality", "environment", "pollution"]
    assert [e["key"] for e in shown["extras"]] == ["coverage", "frequency"]
    assert [g["name"] for g in shown["groups"]] == ["air"]

    found = api(page, base, "package_search", q=new_word)
    assert found["count"] == 1 and found["results"][0] == shown
    assert api(page, base, "package_search", q=catalog["word"])["count"] == 0
    assert api(page, base, "package_search", fq="tags:pollution")["count"] == 1

    page.goto(f"{base}/admin/catalog/package/{shown['id']}/history/")
    history = page.text_content("#change-history")
    assert f"Air quality {new_word}" in history and "admin-browser" in history and "Station list" in history
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    screenshot(page, "dataset-history")

    # Restore the dataset as it was when created: the confirmation lists the differences, then one click.
    page.locator("a.restore-link").last.click()
    page.wait_for_selector("#restore-differences")
    differences = page.text_content("#restore-differences")
    assert f"Air quality {new_word}" in differences and "Station list" in differences and "pollution" in differences
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    screenshot(page, "dataset-restore")
    page.click("input[name=restore]")
    page.wait_for_url(f"{base}/admin/catalog/package/{shown['id']}/change/")
    assert "is restored as it was on" in page.text_content(".messagelist")
    restored = api(page, base, "package_show", id="air-quality-eastford")
    assert restored["title"] == f"Air quality {catalog['word']}"
    assert [r["name"] for r in restored["resources"]] == ["Readings 2024", "Readings 2025", "Readings 2026"]
    assert sorted(t["name"] for t in restored["tags"]) == ["air-quality", "environment"]
    assert api(page, base, "package_search", q=catalog["word"])["results"] == [restored]
