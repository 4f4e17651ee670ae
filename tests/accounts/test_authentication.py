"""API-key authentication: the headers, the configurable name, and refusal of unknown keys."""
import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from accounts.authentication import (
    ApiKeyAuthentication,
    ApiKeyMiddleware,
    api_key_from_request,
    user_for_api_key,
)

pytestmark = pytest.mark.django_db


def through_middleware(request):
    """Run ApiKeyMiddleware on `request`; return the request the view would see."""
    seen = {}

    def view(req):
        seen["request"] = req
        return None

    request.user = AnonymousUser()
    ApiKeyMiddleware(view)(request)
    return seen["request"]


@pytest.mark.parametrize("header", ["HTTP_AUTHORIZATION", "HTTP_X_CKAN_API_KEY"])
def test_both_standard_headers_carry_the_key(make_user, header):
    user = make_user()
    request = through_middleware(RequestFactory().post("/api/action/site_read", **{header: user.apikey}))
    assert request.user == user
    assert request.invalid_api_key is False


def test_the_configured_header_carries_the_key(make_user, settings):
    settings.CKAN_APIKEY_HEADER_NAME = "X-Site-Key"
    user = make_user()
    request = through_middleware(RequestFactory().get("/api/action/site_read", HTTP_X_SITE_KEY=user.apikey))
    assert request.user == user
    # the standard headers keep working beside it
    request = through_middleware(RequestFactory().get("/api/action/site_read", HTTP_X_CKAN_API_KEY=user.apikey))
    assert request.user == user


def test_surrounding_whitespace_is_ignored(make_user):
    user = make_user()
    request = RequestFactory().get("/", HTTP_AUTHORIZATION=f"  {user.apikey} ")
    assert api_key_from_request(request) == user.apikey


def test_no_key_is_anonymous_and_not_invalid():
    request = through_middleware(RequestFactory().get("/api/action/site_read"))
    assert not request.user.is_authenticated
    assert request.invalid_api_key is False


@pytest.mark.parametrize("key", ["nope", "x" * 65, "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_key_is_marked_invalid(key):
    request = through_middleware(RequestFactory().post("/api/action/site_read", HTTP_AUTHORIZATION=key))
    assert not request.user.is_authenticated
    assert request.invalid_api_key is True


def test_an_inactive_users_key_is_invalid(make_user):
    user = make_user(is_active=False)
    assert user_for_api_key(user.apikey) is None
    request = through_middleware(RequestFactory().get("/", HTTP_X_CKAN_API_KEY=user.apikey))
    assert request.invalid_api_key is True


def test_a_reset_key_stops_working(make_user):
    user = make_user()
    old = user.apikey
    new = user.reset_api_key()
    assert new != old
    assert user_for_api_key(old) is None
    assert user_for_api_key(new) == user


def test_the_api_ignores_a_browser_session(make_user):
    """A logged-in browser lends no user to /api/ (it is CSRF-exempt): the key is the only way."""
    user = make_user()
    request = RequestFactory().get("/api/action/site_read")
    request.user = user
    request = ApiKeyMiddleware(lambda req: req)(request)
    assert not request.user.is_authenticated


def test_a_key_authenticates_outside_the_api_too(client, make_user):
    user = make_user()
    resp = client.get("/user/me", HTTP_X_CKAN_API_KEY=user.apikey)
    assert resp["Location"] == f"/user/{user.name}"


# ---------------------------------------------------------------- the Action API

@pytest.mark.parametrize("header", ["HTTP_AUTHORIZATION", "HTTP_X_CKAN_API_KEY"])
def test_action_api_serves_a_read_with_an_unknown_key_as_anonymous(client, header):
    resp = client.post("/api/action/site_read", data="{}", content_type="application/json", **{header: "wrong-key"})
    assert resp.json()["success"] is True


@pytest.mark.parametrize("header", ["HTTP_AUTHORIZATION", "HTTP_X_CKAN_API_KEY"])
def test_action_api_refuses_a_write_with_an_unknown_key(client, header):
    resp = client.post("/api/action/package_create", data='{"name": "x-key"}', content_type="application/json",
                       **{header: "wrong-key"})
    body = resp.json()
    assert body["success"] is False
    assert body["error"]["__type"] == "Authorization Error"


def test_action_api_accepts_a_known_key(client, make_user):
    user = make_user()
    resp = client.post("/api/action/site_read", data="{}", content_type="application/json", HTTP_AUTHORIZATION=user.apikey)
    assert resp.json()["success"] is True


# ---------------------------------------------------------------- DRF

class WhoAmI(APIView):
    def get(self, request):
        return Response({"user": request.user.name if request.user.is_authenticated else None})


def drf_request(**headers):
    django_request = through_middleware(APIRequestFactory().get("/api/2/rest/whoami", **headers))
    return django_request


def test_drf_authentication_returns_the_user_and_key(make_user):
    user = make_user()
    request = Request(drf_request(HTTP_X_CKAN_API_KEY=user.apikey))
    assert ApiKeyAuthentication().authenticate(request) == (user, user.apikey)


def test_drf_authentication_without_a_key_is_anonymous():
    assert ApiKeyAuthentication().authenticate(Request(drf_request())) is None


def test_drf_authentication_serves_an_unknown_key_as_anonymous_and_marks_it():
    django_request = drf_request(HTTP_AUTHORIZATION="wrong")
    assert ApiKeyAuthentication().authenticate(Request(django_request)) is None
    assert django_request.invalid_api_key is True


def test_drf_marks_an_unknown_key_even_without_the_middleware():
    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION="wrong")
    assert ApiKeyAuthentication().authenticate(Request(request)) is None
    assert request.invalid_api_key is True


def test_drf_view_serves_an_unknown_key_as_anonymous(make_user):
    view = WhoAmI.as_view()
    resp = view(drf_request(HTTP_AUTHORIZATION="wrong"))
    assert resp.status_code == 200 and resp.data == {"user": None}
    user = make_user()
    resp = view(drf_request(HTTP_AUTHORIZATION=user.apikey))
    assert resp.status_code == 200 and resp.data == {"user": user.name}
    resp = view(drf_request())
    assert resp.status_code == 200 and resp.data == {"user": None}
