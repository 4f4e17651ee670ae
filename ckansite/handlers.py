"""Error pages: JSON for API clients under /api/, Django's HTML pages elsewhere."""
from django.http import JsonResponse
from django.views import defaults

MESSAGES = {
    400: "Bad request: the request could not be read (too large, or malformed)",
    403: "Access denied",
    404: "Not found: no such API location",
    500: "Internal server error",
}


def _api_error(request, status):
    if request.path.startswith("/api/"):
        return JsonResponse({"success": False, "error": {"__type": "Error", "message": MESSAGES[status]}}, status=status)
    return None


def bad_request(request, exception):
    return _api_error(request, 400) or defaults.bad_request(request, exception)


def permission_denied(request, exception):
    return _api_error(request, 403) or defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    return _api_error(request, 404) or defaults.page_not_found(request, exception)


def server_error(request):
    return _api_error(request, 500) or defaults.server_error(request)
