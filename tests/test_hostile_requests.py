"""Requests no client should send still get a clear JSON client error, never a 500."""
import json

import pytest

pytestmark = pytest.mark.django_db


def test_deeply_nested_json_is_400(client):
    resp = client.post("/api/action/package_show", "[" * 100000, content_type="application/json")
    assert resp.status_code == 400


def test_deeply_nested_qjson_is_400(client, settings):
    settings.CKAN_MAX_URL_LENGTH = 1_000_000  # the JSON parser's own bound, not the URL's (tests/test_long_urls.py)
    resp = client.get("/api/search/dataset", {"qjson": "[" * 100000})
    assert resp.status_code == 400


def test_escaped_nul_in_qjson_is_400(client):
    resp = client.get("/api/search/resource", {"qjson": json.dumps({"url": "a\u0000"})})
    assert resp.status_code == 400


def test_oversized_body_is_a_json_400(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    resp = client.post("/api/action/package_show", json.dumps({"id": "x" * 5000}), content_type="application/json")
    assert resp.status_code == 400
    assert resp.json()["success"] is False


def test_unknown_api_location_is_a_json_404(client):
    resp = client.get("/api/no/such/thing")
    assert resp.status_code == 404
    assert resp.json()["success"] is False


def test_unknown_page_is_an_html_404(client):
    resp = client.get("/no/such/page")
    assert resp.status_code == 404
    assert resp["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_oversized_body_logs_one_line_without_traceback(client, settings, caplog, content_type):
    import logging

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    caplog.set_level(logging.INFO)
    resp = client.post("/api/action/package_create", json.dumps({"id": "x" * 5000}), content_type=content_type)
    assert resp.status_code == 400
    logged = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(logged) == 1, [r.getMessage() for r in logged]
    record = logged[0]
    assert record.exc_info is None and not record.exc_text
    assert "/api/action/package_create" in record.getMessage()
