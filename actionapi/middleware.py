"""Middleware for the /api/ surfaces."""
from urllib.parse import unquote_plus

from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.http import HttpResponseBadRequest, JsonResponse

from actionapi.requests import NUL_MESSAGE


class RejectLongUrlMiddleware:
    """A URL under /api/ longer than CKAN_MAX_URL_LENGTH is a JSON 414, before any view reads it.

    gunicorn (gunicorn.conf.py) lets request lines of up to 8190 bytes
    through, so the API's own limit, a little below, is what clients meet:
    a JSON error in the API's envelope rather than the server's HTML page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            length = len(request.get_full_path())
            if length > settings.CKAN_MAX_URL_LENGTH:
                message = (f"URI too long: {length} characters, at most {settings.CKAN_MAX_URL_LENGTH} are accepted "
                           "(send large queries as a JSON body with POST)")
                return JsonResponse(
                    {"help": "", "success": False, "error": {"__type": "URI Too Long", "message": message}}, status=414
                )
        return self.get_response(request)


class ApiCsrfExemptMiddleware:
    """The API authenticates by key, never by session cookie, so CSRF does not apply."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            request._dont_enforce_csrf_checks = True
        return self.get_response(request)


class PageMessageMiddleware(MessageMiddleware):
    """Django's messages (the notices of the admin and the user pages), for pages only.

    An API request never shows one, and building the message store (its
    cookie signer, the session backend) cost each API request a twentieth of
    a millisecond; Django's own process_response skips a request without it.
    """

    def process_request(self, request):
        if not request.path.startswith("/api/"):
            super().process_request(request)


class RejectNulMiddleware:
    """A NUL character in a request's path, query or form body is a 400.

    No CKAN field can hold one, and PostgreSQL refuses them in text, so they
    are refused before any view sees them (JSON bodies: actionapi.requests).
    API clients get a JSON error, browsers a plain page.
    """

    FORM_TYPES = ("application/x-www-form-urlencoded", "")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            if not request.path.startswith("/api/"):
                return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
            return JsonResponse(
                {"success": False, "error": {"__type": "Parameter Error", "message": NUL_MESSAGE}}, status=400
            )
        return self.get_response(request)

    def _has_nul(self, request):
        if "\x00" in request.path or "\x00" in unquote_plus(request.META.get("QUERY_STRING", "")):
            return True
        content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if request.method in ("POST", "PUT") and content_type in self.FORM_TYPES:
            return "\x00" in unquote_plus(request.body.decode("utf-8", "replace"))
        return False
