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
    """`--screenshots DIR`: browser tests save screenshots of the pages they visit there (never committed)."""
    try:
        parser.addoption("--screenshots", metavar="DIR", default=None,
                         help="save the browser tests' screenshots in DIR")
    except ValueError:  # another conftest already offers it
        pass
