"""API-key authentication, shared by plain Django views and DRF.

CKAN clients send the key raw in `Authorization` or `X-CKAN-API-Key` (or in
the header named by CKAN_APIKEY_HEADER_NAME). A key that matches no active
user (ckanclient 0.10 sends the string `None` when it has none) is served as
anonymous, as CKAN 1.6 did, but the request is marked `invalid_api_key`:
`catalog.logic.check_access` then refuses every write, and every read a
visitor may not make, with the same Authorization Error a visitor gets.
"""
import functools
import hmac

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import DEFAULT_DB_ALIAS, connections
from rest_framework import authentication

from accounts.models import User
from ckansite import generation, rows


def _header_names():
    names = [settings.CKAN_APIKEY_HEADER_NAME, "X-CKAN-API-Key", "Authorization"]
    seen = []
    for name in names:
        if name and name.lower() not in (n.lower() for n in seen):
            seen.append(name)
    return seen


def api_key_from_request(request):
    """The API key the request carries, or None. `Basic`/`Bearer`-less raw keys only."""
    for name in _header_names():
        meta_name = "HTTP_" + name.upper().replace("-", "_")
        value = request.META.get(meta_name, "").strip()
        if value:
            return value
    return None


@functools.cache
def _api_key_sql(alias, with_generation):
    q = connections[alias].ops.quote_name
    meta = User._meta
    # With the catalog's generations, in the same round trip (ckansite.generation).
    extra = f", {generation.STATE_SQL}" if with_generation else ""
    return (f"SELECT {rows.select_list(User, alias, 'u')}{extra} FROM {q(meta.db_table)} u "
            f"WHERE u.{q(meta.get_field('apikey').column)} = %s AND u.{q(meta.get_field('is_active').column)} = %s "
            "LIMIT 1")


def user_for_api_key(key):
    """The active user holding `key`, or None."""
    return _lookup(key, with_generation=False)[0]


def _lookup(key, with_generation):
    """(the active user holding `key` or None, the generation.State or None)."""
    if not key or len(key) > 64:
        return None, None
    # Every API request runs this: SQL built once, the row read straight from the cursor
    # (ckansite.rows: the ORM's per-call work cost more than the query), a unique column.
    alias = DEFAULT_DB_ALIAS
    with_generation = with_generation and generation.readable(connections[alias])
    with rows.cursor(alias) as cursor:
        cursor.execute(_api_key_sql(alias, with_generation), [key, True])
        row = cursor.fetchone()
    if row is None:
        return None, None
    user = rows.instance(User, alias, row)
    if not hmac.compare_digest(user.apikey.encode(), key.encode()):
        return None, None
    return user, (generation.State(*row[-2:]) if with_generation else None)


class ApiKeyMiddleware:
    """Sets request.user from the API key header; marks a wrong key as `invalid_api_key`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.invalid_api_key = False
        key = api_key_from_request(request)
        if key is None and request.path.startswith("/api/"):
            # The API is authenticated by key only: a browser session must not
            # lend its user to cross-site requests (the API is CSRF-exempt).
            request.user = AnonymousUser()
        if key is not None:
            user, current = _lookup(key, with_generation=request.path.startswith("/api/"))
            if user is None:
                request.invalid_api_key = True
                request.user = AnonymousUser()
            else:
                request.user = user
                # Read before any of the request's work, as catalog.read_cache requires.
                generation.note(current)
            # A key-authenticated request is not a browser form: no CSRF.
            request._dont_enforce_csrf_checks = True
        try:
            return self.get_response(request)
        finally:
            generation.note(None)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """DRF authentication by API key; a wrong key is anonymous, marked `invalid_api_key` for the actions."""

    def authenticate(self, request):
        django_request = request._request
        key = api_key_from_request(django_request)
        if key is None:
            return None
        user = user_for_api_key(key)
        if user is None:
            django_request.invalid_api_key = True
            return None
        return (user, key)
