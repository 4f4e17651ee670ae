"""The Action API envelope, body encodings and request errors, over HTTP."""
import json
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.django_db


def test_site_read_envelope(client):
    resp = client.post("/api/action/site_read", data="{}", content_type="application/json")
    assert resp.status_code == 200
    body = resp.json()
    assert body["success"] is True and body["result"] is True
    assert "site" in body["help"]


def test_v3_prefix_and_get(client):
    assert client.post("/api/3/action/site_read", data="{}", content_type="application/json").json()["result"] is True
    assert client.get("/api/3/action/site_read").json()["result"] is True


def test_form_encoded_body_as_old_clients_sent_it(client):
    body = quote(json.dumps({})) + "=1"
    resp = client.post("/api/action/site_read", data=body, content_type="application/x-www-form-urlencoded")
    assert resp.json()["success"] is True


@pytest.mark.parametrize("body", ["", "not json", "[1, 2]", "42"])
def test_unreadable_bodies_are_400(client, body):
    resp = client.post("/api/action/site_read", data=body, content_type="application/json")
    assert resp.status_code == 400
    assert resp.json()["success"] is False


def test_unknown_action_is_400(client):
    resp = client.post("/api/action/no_such_action", data="{}", content_type="application/json")
    assert resp.status_code == 400
    assert "no_such_action" in resp.json()["error"]["message"]


def test_unknown_api_key_is_refused_for_a_write(client):
    resp = client.post("/api/action/group_create", data='{"name": "g-nope"}', content_type="application/json",
                       HTTP_AUTHORIZATION="nope")
    assert resp.json()["error"]["__type"] == "Authorization Error"


def test_unknown_api_key_reads_as_anonymous(client):
    resp = client.post("/api/action/site_read", data="{}", content_type="application/json", HTTP_AUTHORIZATION="nope")
    assert resp.json()["result"] is True
