"""Every page the site serves passes its Content-Security-Policy in a real Chromium.

Each page is opened in Debian's headless Chromium (Playwright); the browser
reports whatever the policy blocked (an inline script or style, a style=""
attribute, a resource from elsewhere) as a `securitypolicyviolation` event and
a console message, and the test fails on any. The pages are listed in
PAGES (anonymous), USER_PAGES (as the profile's owner) and SYSADMIN_PAGES (as
a sysadmin): a new page is one more line there.
"""
import pytest

from catalog.logic import new_context
from catalog.logic.registry import get_action
from tests.browser import MARKS, chromium_page

pytestmark = MARKS

# Recorded from the first script of every document: the browser fires it for each blocked load.
_RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
});
"""

PAGES = [
    "/",
    "/dataset/csp-dataset",
    "/group/csp-group",
    "/user/csp-user",
    "/user/login",
    "/dataset/no-such-dataset",  # the 404 page
    "/dataset",
    "/dataset?q=csp&tags=alpha&res_format=CSV",  # with facet filters in force
    "/tag/alpha",
    "/group",
    # DRF's browsable API (a browser asks for text/html)
    "/api/rest/dataset",
    "/api/2/rest/dataset/csp-dataset",
    "/api/util/status",
]
USER_PAGES = [
    "/user/csp-user",  # with the password and API key forms
    "/user/logout",  # the confirm form
]
SYSADMIN_PAGES = [
    "/admin/",
    "/admin/catalog/package/",
    "/admin/catalog/package/{package_id}/change/",
    "/admin/catalog/package/{package_id}/history/",
    "/admin/catalog/package/add/",
    "/admin/accounts/user/",
    "/admin/accounts/user/{user_id}/change/",
    "/admin/password_change/",
    "/api/rest/dataset",
]


@pytest.fixture
def catalog(transactional_db, django_user_model):
    """A user, a sysadmin, a group and a dataset (with notes, tags, a resource), made before the browser starts."""
    user = django_user_model.objects.create_user("csp-user", password="csp-pass-1", fullname="Cee Espy")
    django_user_model.objects.create_user("csp-admin", password="csp-pass-2", sysadmin=True)
    get_action("group_create")(new_context(user=user), {"name": "csp-group", "title": "CSP Group"})
    dataset = get_action("package_create")(new_context(user=user), {
        "name": "csp-dataset",
        "title": "CSP Dataset",
        "notes": "Some *notes* with [a link](http://example.com/) and <script>alert(1)</script>",
        "tags": [{"name": "alpha"}],
        "groups": [{"name": "csp-group"}],
        "resources": [{"url": "http://example.com/data.csv", "format": "CSV"}],
    })
    return {"package_id": dataset["id"], "user_id": user.pk}


@pytest.fixture
def browser_page(catalog):
    with chromium_page() as page:
        page.add_init_script(_RECORD_VIOLATIONS)
        console = []
        page.on("console", lambda message: console.append(message.text))
        page.csp_console = console
        yield page


def _log_in(page, base_url, name, password):
    page.goto(f"{base_url}/user/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/user/{name}")


def _violations(page, base_url, paths, **ids):
    """The violations each page reported, by path (only pages with some)."""
    found = {}
    for path in paths:
        path = path.format(**ids)
        del page.csp_console[:]
        response = page.goto(base_url + path)
        assert response.status < 500, path
        assert "script-src 'self'" in response.headers.get("content-security-policy", ""), path
        page.wait_for_load_state("load")
        reported = page.evaluate("window.__cspViolations") + [
            text for text in page.csp_console if "Content Security Policy" in text
        ]
        if reported:
            found[path] = reported
    return found


def test_the_policy_forbids_inline_script_and_style(client):
    policy = client.get("/user/login")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe" not in policy
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


def test_an_injected_inline_script_is_reported(live_server, browser_page):
    # The check itself works: a page that runs an inline script is caught.
    page = browser_page
    page.goto(f"{live_server.url}/user/login")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';
                             document.body.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__cspViolations") and page.evaluate("window.x") is None


def test_anonymous_pages_pass_the_policy(live_server, catalog, browser_page):
    assert _violations(browser_page, live_server.url, PAGES, **catalog) == {}


def test_the_users_own_pages_pass_the_policy(live_server, catalog, browser_page):
    _log_in(browser_page, live_server.url, "csp-user", "csp-pass-1")
    assert _violations(browser_page, live_server.url, USER_PAGES, **catalog) == {}


def test_the_admin_and_browsable_api_pass_the_policy(live_server, catalog, browser_page):
    _log_in(browser_page, live_server.url, "csp-admin", "csp-pass-2")
    assert _violations(browser_page, live_server.url, SYSADMIN_PAGES, **catalog) == {}
