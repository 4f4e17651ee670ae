"""Over-long URLs and headers under /api/ against a live gunicorn: served up to the limit, JSON errors beyond.

The limits (README, "Request limits"): a URL of up to CKAN_MAX_URL_LENGTH
(8000) characters is served; a longer one that gunicorn still reads (a request
line of up to 8190 bytes) is Django's JSON 414; a longer request line is
gunicorn's, answered in JSON by ckansite/gunicorn_workers.py, as are headers
over gunicorn's limits (431).
"""
import http.client
import os
from urllib.parse import urlsplit

import orjson
import pytest

from tests.sites import Site

pytestmark = pytest.mark.live


@pytest.fixture(scope="module", params=["1", "2"], ids=["sync worker", "gthread worker"])
def site(request):
    """A live site with gunicorn's sync worker (THREADS=1, SQLite's) or its gthread worker (PostgreSQL's)."""
    saved = os.environ.get("THREADS")
    os.environ["THREADS"] = request.param
    try:
        site = Site()
    finally:
        if saved is None:
            del os.environ["THREADS"]
        else:
            os.environ["THREADS"] = saved
    yield site
    site.stop()


def raw_request(site, target, headers=()):
    """Send one GET with this exact request target; return (status, content type, body)."""
    connection = http.client.HTTPConnection(urlsplit(site.url).hostname, urlsplit(site.url).port, timeout=30)
    try:
        connection.putrequest("GET", target)
        for name, value in headers:
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


def search_url(length):
    prefix = "/api/action/package_search?q="
    return prefix + "a" * (length - len(prefix))


def test_a_url_at_the_limit_is_served(site):
    status, content_type, body = raw_request(site, search_url(8000))
    assert status == 200, body[:300]
    assert orjson.loads(body)["success"] is True


@pytest.mark.parametrize("length", [8001, 8150])
def test_a_longer_url_that_reaches_django_is_a_json_414(site, length):
    status, content_type, body = raw_request(site, search_url(length))
    assert (status, content_type) == (414, "application/json")
    error = orjson.loads(body)["error"]
    assert error["__type"] == "URI Too Long" and "8000" in error["message"]


@pytest.mark.parametrize("length", [8200, 100_000])
def test_a_request_line_over_gunicorns_limit_is_a_json_414(site, length):
    status, content_type, body = raw_request(site, search_url(length))
    assert (status, content_type) == (414, "application/json")
    assert orjson.loads(body)["success"] is False


def test_an_over_long_header_is_a_json_431(site):
    status, content_type, body = raw_request(site, "/api/action/site_read", [("X-Padding", "p" * 9000)])
    assert (status, content_type) == (431, "application/json")
    assert orjson.loads(body)["error"]["__type"] == "Request Header Fields Too Large"


def test_too_many_headers_is_a_json_431(site):
    headers = [(f"X-Header-{n}", "v") for n in range(150)]
    status, content_type, body = raw_request(site, "/api/action/site_read", headers)
    assert (status, content_type) == (431, "application/json")


def test_pages_are_not_limited_by_the_api_limit(site):
    status, _, _ = raw_request(site, "/user/login?next=/" + "a" * 8050)
    assert status == 200


def test_no_traceback_in_the_server_log(site):
    raw_request(site, search_url(100_000))
    assert "Traceback" not in site.server_log()
