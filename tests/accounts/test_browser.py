"""The user pages in a real headless Chromium: log in, read the key on /user/me, log out.

Uses Debian's chromium through Playwright (Playwright's own browser download
cannot work here); skips, saying why, where /usr/bin/chromium is missing.
"""
import pytest

from tests.browser import MARKS, chromium_page

pytestmark = MARKS


@pytest.fixture
def users(transactional_db, django_user_model):
    """The test's users, made before the browser starts (see browser_page)."""
    return {
        "bea": django_user_model.objects.create_user("browser-user", password="browser-pass-1", fullname="Bea Browser"),
        "bob": django_user_model.objects.create_user("browser-user2", password="right-pass-1"),
    }


@pytest.fixture
def browser_page(users):
    """A Chromium page, opened once the users exist (see tests.browser.chromium_page)."""
    with chromium_page() as page:
        yield page


def test_log_in_read_the_key_log_out(live_server, users, browser_page):
    page = browser_page

    page.goto(f"{live_server.url}/user/me")
    assert page.url.startswith(f"{live_server.url}/user/login")
    page.fill("input[name=username]", "browser-user")
    page.fill("input[name=password]", "browser-pass-1")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/user/browser-user")

    page.goto(f"{live_server.url}/user/me")
    page.wait_for_url(f"{live_server.url}/user/browser-user")
    assert page.text_content("h1").strip() == "Bea Browser"
    assert page.text_content("#apikey").strip() == users["bea"].apikey

    page.click("#logout")
    page.wait_for_url(f"{live_server.url}/user/login")
    assert page.locator("#apikey").count() == 0
    page.goto(f"{live_server.url}/user/browser-user")
    assert page.locator("#apikey").count() == 0
    page.goto(f"{live_server.url}/user/me")
    assert page.url.startswith(f"{live_server.url}/user/login")


def test_a_wrong_password_stays_on_the_login_page(live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/user/login")
    page.fill("input[name=username]", "browser-user2")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert page.url.startswith(f"{live_server.url}/user/login")
    assert "correct" in page.text_content(".errorlist")


def test_reset_the_key_and_change_the_password_from_ones_page(live_server, users, browser_page):
    requests = pytest.importorskip("requests")
    page = browser_page

    def create(key, name):
        return requests.post(f"{live_server.url}/api/action/package_create", json={"name": name},
                             headers={"Authorization": key}, timeout=30).json()

    page.goto(f"{live_server.url}/user/login")
    page.fill("input[name=username]", "browser-user")
    page.fill("input[name=password]", "browser-pass-1")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/user/browser-user")
    old_key = page.text_content("#apikey").strip()

    page.click("#apikey-reset")
    page.wait_for_load_state()
    new_key = page.text_content("#apikey").strip()
    assert new_key != old_key
    assert create(old_key, "browser-old-key")["error"]["__type"] == "Authorization Error"
    assert create(new_key, "browser-new-key")["success"] is True

    page.fill("input[name=old_password]", "browser-pass-1")
    page.fill("input[name=new_password1]", "a-new-browser-secret-7")
    page.fill("input[name=new_password2]", "a-new-browser-secret-7")
    page.click("#password-change")
    page.wait_for_load_state()
    assert "password has been changed" in page.text_content(".messages")
    assert page.text_content("#apikey").strip() == new_key  # still logged in
