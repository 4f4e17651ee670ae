"""Error pages: JSON for API clients under /api/, Django's HTML pages elsewhere.

A database that cannot be reached (restarting, a connection cut under a kept
connection) is a 503, "try again", not a 500: the request was fine.
"""
import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.views import defaults

log = logging.getLogger(__name__)

MESSAGES = {
    400: "Bad request: the request could not be read (too large, or malformed)",
    403: "Access denied",
    404: "Not found: no such API location",
    500: "Internal server error",
    503: "The database is unavailable; try again shortly",
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


def is_connection_error(exc):
    """Is this the database being unreachable (as opposed to a query that is wrong)?"""
    return isinstance(exc, (OperationalError, InterfaceError))


def close_broken_connections():
    """Drop connections that no longer work, so that the worker's next request opens a fresh one."""
    for conn in connections.all(initialized_only=True):
        try:
            if conn.connection is not None and not conn.is_usable():
                conn.close()
        except Exception:  # a connection that cannot even be closed is gone anyway
            log.debug("Closing a broken database connection failed", exc_info=True)


def service_unavailable(request):
    close_broken_connections()
    response = _api_error(request, 503) or HttpResponse(
        "<h1>Service unavailable</h1><p>The database is unavailable; try again shortly.</p>", status=503
    )
    response["Retry-After"] = str(settings.RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    # Django calls this inside the `except` that caught the view's (or a
    # middleware's) exception, so the exception is at hand.
    if is_connection_error(sys.exc_info()[1]):
        return service_unavailable(request)
    return _api_error(request, 500) or defaults.server_error(request)
