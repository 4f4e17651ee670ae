"""Servers for the client tests: gunicorn (as production serves) and Django's live server."""
import json
import os

import pytest
import requests

from tests.sites import Site


@pytest.fixture(scope="module")
def gunicorn_site():
    """A site served by gunicorn, as production serves it (fresh SQLite and Whoosh)."""
    site = Site("wire-admin")
    yield site
    site.stop()


def _site_user_key(site):
    """A new ordinary user of `site`, made through its Action API by the sysadmin; their API key."""
    name = "wire-" + os.urandom(4).hex()
    headers = {"Authorization": site.apikey, "Content-Type": "application/json"}
    body = {"name": name, "email": f"{name}@example.org", "password": "pass1234"}
    created = requests.post(f"{site.url}/api/action/user_create", data=json.dumps(body), headers=headers, timeout=30)
    assert created.json()["success"], created.text
    shown = requests.post(f"{site.url}/api/action/user_show", data=json.dumps({"id": name}), headers=headers, timeout=30)
    return shown.json()["result"]["apikey"]


@pytest.fixture(params=["gunicorn", "live_server"])
def server(request):
    """(base URL, an ordinary user's API key): gunicorn, and Django's live server on the test's database
    (which CI also runs on PostgreSQL + Solr 9)."""
    if request.param == "gunicorn":
        site = request.getfixturevalue("gunicorn_site")
        return site.url, _site_user_key(site)
    live_server = request.getfixturevalue("live_server")
    return live_server.url, request.getfixturevalue("make_user")().apikey
