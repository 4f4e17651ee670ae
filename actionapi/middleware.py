"""Middleware for the /api/ surfaces."""
from urllib.parse import unquote_plus

from django.http import HttpResponseBadRequest, JsonResponse

from actionapi.requests import NUL_MESSAGE



class ApiCsrfExemptMiddleware:
    """The API authenticates by key, never by session cookie, so CSRF does not apply."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            request._dont_enforce_csrf_checks = True
        return self.get_response(request)


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
