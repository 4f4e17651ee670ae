"""The API version documents: GET /api and /api/<n> say which API version the URL serves (ckanclient's api_version_get)."""
import json
import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path, version", [("/api", 1), ("/api/", 1), ("/api/1", 1), ("/api/2", 2), ("/api/3", 3)])
def test_version_document(client, path, version):
    resp = client.get(path)
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/json")
    assert resp.json() == {"version": version}


def test_anonymous_none_key_reads_the_version(client):
    assert client.get("/api", HTTP_AUTHORIZATION="None", HTTP_X_CKAN_API_KEY="None").json() == {"version": 1}


@pytest.mark.parametrize("path, version", [("/api", 1), ("/api/2", 2)])
def test_version_document_with_jsonp(client, path, version):
    resp = client.get(path, {"callback": "cb"})
    assert resp["Content-Type"].startswith("application/javascript")
    match = re.fullmatch(r"cb\((.*)\);", resp.content.decode(), re.S)
    assert json.loads(match.group(1)) == {"version": version}


def test_unknown_version_is_404(client):
    assert client.get("/api/4").status_code == 404
