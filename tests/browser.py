"""Debian's headless Chromium for the browser tests, driven by Playwright.

Playwright's own browser download cannot work here, so the tests launch
/usr/bin/chromium (or CKAN_TEST_CHROMIUM) and skip, saying why, without it
(under CI=true they fail: .ci/run installs it).
"""
import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright import sync_api

from tests.conftest import needs

CHROMIUM = Path(os.environ.get("CKAN_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

MARKS = [
    pytest.mark.browser,
    pytest.mark.live,
    needs(
        "Chromium",
        CHROMIUM.exists(),
        f"no browser at {CHROMIUM}: install Debian's chromium (apt-get install chromium); .ci/run does",
    ),
]


@contextmanager
def chromium_page():
    """A fresh page in a headless Chromium, closed afterwards.

    Playwright's sync API runs an event loop in this thread, and Django would
    give code running beside it a separate, never-closed database connection:
    make all test data before entering, none inside.
    """
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(30_000)
            yield page
        finally:
            browser.close()
