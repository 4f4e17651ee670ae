"""The Action API dispatcher: POST /api/action/<name> and /api/3/action/<name>.

Every answer is the envelope `{"help", "success", "result"|"error"}`. Errors
an action raises are mapped by `actionapi.errors`; the status is 200 as the
spec documents, or CKAN's own codes when CKAN_ACTION_API_STATUS_CODES is on.
A request the dispatcher cannot read at all (unknown action, empty body,
malformed JSON, a body that is not an object) is a 400.
"""
import json
import logging

import orjson
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from actionapi.errors import DATABASE_ERROR_MESSAGE, DATABASE_ERROR_TYPE, error_body, retry_later, status_for
from actionapi.requests import BodyError, parse_json_body, querydict_to_dict
from catalog.logic import errors, new_context, registry

log = logging.getLogger(__name__)


_django_default = DjangoJSONEncoder().default


def dumps(body):
    """UTF-8 JSON of `body`: orjson, with Django's encoding of dates, decimals and lazy strings.

    What orjson refuses (integers beyond 64 bits, non-string keys) goes through json.
    """
    try:
        return orjson.dumps(body, default=_django_default, option=orjson.OPT_PASSTHROUGH_DATETIME)
    except TypeError:
        return json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False).encode("utf-8")


def _envelope(help_text, *, result=None, error=None, status=200):
    body = {"help": help_text, "success": error is None}
    if error is None:
        body["result"] = result
    else:
        body["error"] = error
    return HttpResponse(dumps(body), status=status, content_type="application/json")


def _request_error(help_text, message, error_type="Bad request"):
    return _envelope(help_text, error={"__type": error_type, "message": message}, status=400)


def api_context(request, api_version=3):
    """The action context for an HTTP request."""
    return new_context(
        user=request.user,
        ip=request.META.get("REMOTE_ADDR", ""),
        api_version=api_version,
        message=request.META.get("HTTP_X_CKAN_LOG_MESSAGE", ""),
        invalid_api_key=getattr(request, "invalid_api_key", False),
    )


@csrf_exempt
def api_version(request, version=1):
    """The API version this URL serves: ``{"version": 1}`` at /api and /api/1, 2 at /api/2, 3 at /api/3.

    ckanclient's api_version_get() reads it from its base location.
    """
    if request.method not in ("GET", "POST"):
        response = HttpResponse(dumps({"error": "Method not allowed: use GET"}), status=405,
                                content_type="application/json")
        response["Allow"] = "GET, POST"
        return response
    return HttpResponse(dumps({"version": version}), content_type="application/json")


@csrf_exempt
def action(request, name):
    try:
        function = registry.get_action(name)
    except KeyError:
        return _request_error("", f"Action name not known: {name}")
    help_text = registry.help_text(name)

    if request.method == "POST":
        try:
            data_dict = parse_json_body(request)
        except BodyError as exc:
            return _request_error(help_text, str(exc), "JSON Error")
        if not isinstance(data_dict, dict):
            return _request_error(help_text, "Request body must be a JSON object", "JSON Error")
    elif request.method == "GET":
        if not registry.is_read_only(name):
            return _request_error(help_text, f"Action {name} changes data: use POST")
        data_dict = querydict_to_dict(request.GET)
    else:
        response = _request_error(help_text, "Method not allowed: use POST (or GET for read-only actions)")
        response.status_code = 405
        response["Allow"] = "GET, POST"
        return response

    context = api_context(request)
    # This answer is written by orjson (`dumps`): an action may hand stored JSON
    # text through as orjson.Fragment instead of parsing it into dicts.
    context["json_passthrough"] = True
    try:
        result = function(context, data_dict)
    except errors.ActionError as exc:
        status = status_for(exc) if settings.CKAN_ACTION_API_STATUS_CODES else 200
        return _envelope(help_text, error=error_body(exc), status=status)
    except DatabaseError:
        log.exception("Database error in action %s", name)
        return retry_later(_envelope(
            help_text, error={"__type": DATABASE_ERROR_TYPE, "message": DATABASE_ERROR_MESSAGE}, status=503
        ))
    return _envelope(help_text, result=result)
