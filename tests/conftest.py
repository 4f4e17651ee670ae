"""Test settings and shared fixtures.

Settings give each test process a throwaway Whoosh index; tests also check that every action called `check_access` under its own name.

Tests that need a service the machine may lack (PostgreSQL, Solr, Chromium)
use `needs(...)` or `missing(...)`: without the service they skip, saying
why, except under CI=true (set by .ci/run), where CI provides every such
service and its absence is a failure. A CI run that does not provide one
deselects its tests by marker (`-m "not postgres"`) instead.
"""
import os
import threading

import pytest

CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes", "on")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "needs(service, available, reason): skip without the service, fail under CI=true (tests/conftest.py)"
    )


def needs(service, available, reason):
    """A mark for a test that needs `service`: `available` says whether this run has it."""
    return pytest.mark.needs(service=service, available=bool(available), reason=reason)


def in_threads(target, argses, timeout=60):
    """Run target(*args) for each args in a thread of its own, all started before any is
    waited for (at most `timeout` s each); returns the threads."""
    threads = [threading.Thread(target=target, args=args) for args in argses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return threads


def missing(service, reason):
    """Call where a test finds `service` missing: a skip saying why, or under CI=true a failure."""
    if CI:
        pytest.fail(f"CI=true, and CI provides {service}, but it is missing: {reason}", pytrace=False)
    pytest.skip(f"no {service}: {reason}")


def pytest_runtest_setup(item):
    for mark in item.iter_markers("needs"):
        if not mark.kwargs["available"]:
            missing(mark.kwargs["service"], mark.kwargs["reason"])


@pytest.fixture(autouse=True)
def _audit_auth(settings):
    settings.CKAN_AUDIT_AUTH = True


@pytest.fixture
def search_index(db):
    """The configured engine's backend; a Whoosh index starts empty."""
    from haystack import connections

    from searchapi.backends import CkanWhooshSearchBackend

    backend = connections["default"].get_backend()
    if isinstance(backend, CkanWhooshSearchBackend):
        backend.clear()
    return backend


@pytest.fixture
def sysadmin(db):
    from accounts.models import User

    return User.objects.create_user("sysadmin-" + os.urandom(3).hex(), password="pass1234", sysadmin=True)


@pytest.fixture
def make_user(db):
    from accounts.models import User

    def make(name=None, **fields):
        return User.objects.create_user(name or "user-" + os.urandom(4).hex(), password="pass1234", **fields)

    return make


def pytest_addoption(parser):
    parser.addoption(
        "--screenshots",
        metavar="DIR",
        default=None,
        help="browser tests save screenshots of the pages they visit into DIR (for a reviewer; never committed)",
    )


@pytest.fixture
def screenshot(request):
    """`screenshot(page, name)` saves the page as DIR/<test>-<name>.png when --screenshots DIR is given."""
    from pathlib import Path

    directory = request.config.getoption("--screenshots")

    def save(page, name):
        if not directory:
            return None
        path = Path(directory) / f"{request.node.name}-{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
