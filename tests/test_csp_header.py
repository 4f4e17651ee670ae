"""The Content-Security-Policy header: the text django-csp builds, built once (ckansite.csp)."""
import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE, SELF
from csp.decorators import csp_update
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory

from ckansite.csp import CSPMiddleware

pytestmark = pytest.mark.django_db


def _both(view, path="/api/3/action/site_read"):
    """The responses of `view` through ckansite's middleware and through django-csp's own."""
    answers = []
    for middleware_class in (CSPMiddleware, DjangoCSPMiddleware):
        request = RequestFactory().get(path)
        answers.append(middleware_class(view)(request))
    return answers


def test_api_answers_and_pages_carry_django_csps_header(client):
    ours, theirs = _both(lambda request: JsonResponse({"success": True}))
    assert ours[HEADER] == theirs[HEADER] and "default-src 'self'" in ours[HEADER]
    page = client.get("/")
    assert page[HEADER] == ours[HEADER]


def test_a_changed_setting_changes_the_header(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    ours, theirs = _both(lambda request: HttpResponse("x"))
    assert ours[HEADER] == theirs[HEADER] == "default-src 'none'"
    settings.CONTENT_SECURITY_POLICY = None
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": ["'self'"]}}
    ours, theirs = _both(lambda request: HttpResponse("x"))
    assert HEADER not in ours and ours[HEADER_REPORT_ONLY] == theirs[HEADER_REPORT_ONLY]
    assert "img-src 'self'" in ours[HEADER_REPORT_ONLY]


def test_a_views_own_policy_and_a_nonce_still_count(settings):
    @csp_update({"img-src": "https://images.example"})
    def decorated(request):
        return HttpResponse("x")

    ours, theirs = _both(decorated)
    assert "https://images.example" in ours[HEADER] and ours[HEADER] == theirs[HEADER]

    def with_nonce(request):
        return HttpResponse(str(request.csp_nonce))

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": [SELF, NONCE]}}
    ours, _ = _both(with_nonce)
    assert f"'nonce-{ours.content.decode()}'" in ours[HEADER]


def test_excluded_prefixes_and_exempt_views_get_no_header(settings):
    settings.CONTENT_SECURITY_POLICY = {"EXCLUDE_URL_PREFIXES": ["/api/"], "DIRECTIVES": {"default-src": ["'self'"]}}
    ours, theirs = _both(lambda request: HttpResponse("x"))
    assert HEADER not in ours and HEADER not in theirs

    def exempt(request):
        response = HttpResponse("x")
        response._csp_exempt = True
        return response

    ours, theirs = _both(exempt, path="/dataset/")
    assert HEADER not in ours and HEADER not in theirs
