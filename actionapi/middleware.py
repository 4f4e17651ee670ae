"""Middleware for the /api/ surfaces."""


class ApiCsrfExemptMiddleware:
    """The API authenticates by key, never by session cookie, so CSRF does not apply."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            request._dont_enforce_csrf_checks = True
        return self.get_response(request)
