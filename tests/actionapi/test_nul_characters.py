"""NUL characters are refused with a 400 on every API surface (PostgreSQL cannot store them)."""
import json
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.django_db


def test_action_body_with_an_escaped_nul_is_400(client, sysadmin):
    resp = client.post("/api/action/package_create", json.dumps({"name": "a\u0000b"}),
                       content_type="application/json", HTTP_AUTHORIZATION=sysadmin.apikey)
    assert resp.status_code == 400
    assert "NUL" in resp.json()["error"]["message"]


def test_nul_in_a_nested_key_is_400(client):
    resp = client.post("/api/action/package_show", json.dumps({"id": "x", "extras": [{"k\u0000": 1}]}),
                       content_type="application/json")
    assert resp.status_code == 400


def test_form_encoded_body_with_a_nul_is_400(client):
    body = quote(json.dumps({"id": "a\u0000"})) + "=1"
    resp = client.post("/api/action/package_show", body, content_type="application/x-www-form-urlencoded")
    assert resp.status_code == 400


@pytest.mark.parametrize("url", [
    "/api/action/package_show?id=a%00b",
    "/api/rest/dataset/a%00b",
    "/api/2/search/dataset?q=a%00",
    "/api/util/dataset/munge_name?name=%00",
])
def test_nul_in_path_or_query_is_400(client, url):
    assert client.get(url).status_code == 400


def test_an_escaped_backslash_before_u0000_is_not_a_nul(client):
    resp = client.post("/api/action/package_show", json.dumps({"id": "a\\u0000b"}), content_type="application/json")
    assert resp.status_code == 200
    assert resp.json()["error"]["__type"] == "Not Found Error"


@pytest.mark.parametrize("url", ["/dataset/a%00", "/group/a%00", "/user/a%00"])
def test_nul_in_a_page_url_is_400(client, url):
    assert client.get(url).status_code == 400
