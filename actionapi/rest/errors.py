"""One exception handler for the REST and Util APIs: every failure becomes JSON with its status.

Action errors are mapped by the shared table in actionapi.errors (403, 404,
409, 400); an unreadable body is a 400; DRF's own exceptions keep their
status (a missing or wrong key is a 403, never a 401 challenge).
"""
import logging

from django.db import DatabaseError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response

from actionapi.errors import DATABASE_ERROR_MESSAGE, DATABASE_ERROR_TYPE, error_body, retry_later, status_for
from actionapi.requests import BodyError
from catalog.logic.errors import ActionError

log = logging.getLogger(__name__)


def _error(error_type, message, status):
    return Response({"__type": error_type, "message": message}, status=status)


def exception_handler(exc, context):
    if isinstance(exc, ActionError):
        return Response(error_body(exc), status=status_for(exc))
    if isinstance(exc, BodyError):
        return _error("JSON Error", str(exc), 400)
    if isinstance(exc, Http404):
        return _error("Not Found Error", "Not found", 404)
    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed, exceptions.PermissionDenied)):
        return _error("Authorization Error", str(exc.detail), 403)
    if isinstance(exc, exceptions.APIException):
        response = _error("Bad request", str(exc.detail), exc.status_code)
        if isinstance(exc, exceptions.MethodNotAllowed):
            view = context.get("view")
            if view is not None:
                response["Allow"] = ", ".join(view.allowed_methods)
        return response
    if isinstance(exc, DatabaseError):
        log.exception("Database error in %s", context.get("view"))
        return retry_later(_error(DATABASE_ERROR_TYPE, DATABASE_ERROR_MESSAGE, 503))
    return None
