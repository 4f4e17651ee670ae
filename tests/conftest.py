"""Test settings and shared fixtures.

Settings give each test process a throwaway Whoosh index; tests also check that every action called `check_access` under its own name.
"""
import os

import pytest


@pytest.fixture(autouse=True)
def _audit_auth(settings):
    settings.CKAN_AUDIT_AUTH = True


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
