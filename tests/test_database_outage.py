"""A database that goes away (restart, dropped connection) is a 503, never a 500,
and a server whose connections were cut answers the next requests normally."""
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests
from django.db import OperationalError, connection, connections
from django.test import Client

from tests.conftest import needs

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def broken_database(monkeypatch):
    """Every query fails the way a dropped PostgreSQL connection does."""
    from django.db.backends import utils

    def fail(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(utils.CursorWrapper, "execute", fail)
    monkeypatch.setattr(utils.CursorWrapper, "executemany", fail)


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/action/package_list"),
        ("post", "/api/action/package_show"),
        ("get", "/api/rest/dataset"),
        ("get", "/api/2/rest/group"),
        ("get", "/api/search/revision?since_id=x"),
        ("get", "/api/util/user/autocomplete?q=a"),
        ("get", "/api/action/package_list?callback=cb"),
    ],
)
def test_api_answers_a_json_503_when_the_database_is_gone(broken_database, method, path):
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION="some-key")
    resp = getattr(client, method)(path, *(["{}", "application/json"] if method == "post" else []))
    assert resp.status_code == 503, resp.content
    assert resp["Content-Type"].startswith("application/json")
    assert resp.json()["success"] is False
    assert resp["Retry-After"] == "5"


def test_pages_answer_a_503_when_the_database_is_gone(broken_database):
    client = Client(raise_request_exception=False)
    resp = client.get("/")
    assert resp.status_code == 503


@pytest.mark.django_db(transaction=True)
def test_a_read_is_retried_once_on_a_fresh_connection(monkeypatch, sysadmin):
    from catalog.logic import registry

    calls = []
    original = registry._actions["package_list"]

    def flaky(context, data_dict):
        calls.append(1)
        if len(calls) == 1:
            monkeypatch.setattr(type(connections["default"]), "is_usable", lambda self: False)
            raise OperationalError("server closed the connection unexpectedly")
        monkeypatch.undo()
        return original(context, data_dict)

    monkeypatch.setitem(registry._actions, "package_list", flaky)
    resp = Client().get("/api/action/package_list")
    assert resp.status_code == 200 and resp.json()["success"] is True
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_a_write_is_not_retried(monkeypatch, sysadmin):
    from catalog.logic import registry

    calls = []

    def broken(context, data_dict):
        calls.append(1)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setitem(registry._actions, "package_create", broken)
    monkeypatch.setattr(type(connections["default"]), "is_usable", lambda self: False)
    resp = Client().post("/api/action/package_create", {"name": "x"}, content_type="application/json",
                         HTTP_AUTHORIZATION=sysadmin.apikey)
    monkeypatch.undo()
    assert resp.status_code == 503
    assert resp["Retry-After"] == "5"  # the action's own 503, once its key was read
    assert resp.json()["error"]["__type"] == "Internal Error"
    assert len(calls) == 1


def test_a_rest_write_cut_off_by_the_database_says_when_to_try_again(monkeypatch, sysadmin):
    from catalog.logic.action import _packages

    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(_packages, "package_dict_save", broken)
    monkeypatch.setattr(type(connections["default"]), "is_usable", lambda self: False)
    resp = Client().post("/api/rest/dataset", {"name": "cut-off"}, content_type="application/json",
                         HTTP_AUTHORIZATION=sysadmin.apikey)
    monkeypatch.undo()
    assert resp.status_code == 503, resp.content
    assert resp["Retry-After"] == "5"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.postgres
@needs("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL")
@pytest.mark.django_db(transaction=True)
def test_a_live_server_survives_its_connections_being_terminated(sysadmin):
    """gunicorn keeps connections for CONN_MAX_AGE; PostgreSQL ending them (a restart)
    must not make the next request of a worker a 500."""
    settings_dict = connection.settings_dict
    url = "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**settings_dict)
    port = _free_port()
    var_dir = tempfile.mkdtemp(prefix="ckansite-outage-")
    env = dict(os.environ, DATABASE_URL=url, CONN_MAX_AGE="600", CKAN_VAR_DIR=var_dir, SECRET_KEY="outage-test",
               SEARCH_URL=os.path.join(var_dir, "index"), DEBUG="0", CKAN_TESTING="")
    env.pop("CKAN_TESTING")
    log = open(os.path.join(var_dir, "server.log"), "w")
    server = subprocess.Popen(
        [os.path.join(os.path.dirname(sys.executable), "gunicorn"), "ckansite.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "1"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # a loaded machine may take a while to start gunicorn
            try:
                requests.get(base + "/api/util/status", timeout=2)
                break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.1)
        paths = ["/api/action/package_list", "/api/rest/dataset", "/api/util/user/autocomplete?q=s", "/"]
        for path in paths:
            assert requests.get(base + path, timeout=10).status_code == 200
        for path in paths + ["POST"]:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                assert cursor.fetchone()[0] >= 1  # the server's kept connection
            if path == "POST":
                resp = requests.post(base + "/api/action/package_create", json={"name": "after-outage"},
                                     headers={"Authorization": sysadmin.apikey}, timeout=10)
            else:
                resp = requests.get(base + path, timeout=10)
            assert resp.status_code == 200, (path, resp.status_code, resp.text[:300])
    finally:
        server.terminate()
        try:
            server.wait(30)  # a loaded machine can take a while to stop gunicorn's workers
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)
        log.close()
    assert "Traceback" not in Path(var_dir, "server.log").read_text()
