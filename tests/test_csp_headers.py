"""The Content-Security-Policy headers (ckansite.csp): built once, the same as django-csp builds them."""
import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from ckansite.csp import CachedCSPMiddleware


def _headers(middleware_class, response=None, path="/api/action/site_read"):
    request = RequestFactory().get(path)
    middleware = middleware_class(lambda request: response or HttpResponse("{}"))
    return middleware(request)


@pytest.mark.django_db
def test_api_answers_carry_the_policy_django_csp_builds(client):
    ours, theirs = _headers(CachedCSPMiddleware), _headers(CSPMiddleware)
    assert ours["Content-Security-Policy"] == theirs["Content-Security-Policy"]
    assert "default-src 'self'" in ours["Content-Security-Policy"]
    assert client.get("/api/action/site_read")["Content-Security-Policy"] == ours["Content-Security-Policy"]


def test_a_changed_setting_changes_the_header(settings):
    before = _headers(CachedCSPMiddleware)["Content-Security-Policy"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    after = _headers(CachedCSPMiddleware)["Content-Security-Policy"]
    assert after == "default-src 'none'" and after != before


def test_a_response_of_its_own_policy_keeps_it():
    response = HttpResponse("{}")
    response._csp_update = {"img-src": ["https://example.org"]}
    header = _headers(CachedCSPMiddleware, response)["Content-Security-Policy"]
    assert "https://example.org" in header


def test_a_response_that_set_the_header_keeps_it():
    response = HttpResponse("{}")
    response["Content-Security-Policy"] = "default-src 'none'"
    assert _headers(CachedCSPMiddleware, response)["Content-Security-Policy"] == "default-src 'none'"
