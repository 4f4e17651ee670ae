"""JSONP: `callback=<name>` pads a JSON answer as `<name>(<json>);`, for every API surface.

It applies to GET requests of /api and under /api/ (the version documents, Model, Search, Util and read-only
Action API calls) and to POSTs of the Action API. Only successful (200) JSON
answers are wrapped; errors go back as plain JSON so that a script sees the
failure. The callback must be a JavaScript identifier, optionally dotted
(`jQuery123.cb`); anything else is refused with 400, because the name is
written verbatim into a script the browser will run.
"""
import re

from django.http import JsonResponse

CALLBACK_PARAM = "callback"
_IDENTIFIER = r"[A-Za-z_$][A-Za-z0-9_$]*"
SAFE_CALLBACK_RE = re.compile(rf"{_IDENTIFIER}(?:\.{_IDENTIFIER})*")
MAX_CALLBACK_LENGTH = 128
_ACTION_PATH_RE = re.compile(r"^/api/(?:3/)?action/[^/]+$")


def is_safe_callback(name):
    return len(name) <= MAX_CALLBACK_LENGTH and SAFE_CALLBACK_RE.fullmatch(name) is not None


def applies_to(request):
    """Does `callback=` mean JSONP for this request?"""
    if request.method == "GET":
        return request.path == "/api" or request.path.startswith("/api/")
    if request.method == "POST":
        return _ACTION_PATH_RE.match(request.path) is not None
    return False


def _is_json(response):
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type == "application/json"


class JsonpMiddleware:
    """Wraps JSON 200 answers in the requested callback; refuses unsafe callback names."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        callback = request.GET.get(CALLBACK_PARAM, "") if applies_to(request) else ""
        if callback and not is_safe_callback(callback):
            return JsonResponse(
                {"__type": "Bad request", "message": "callback must be a JavaScript identifier (dotted names allowed)"},
                status=400,
            )
        response = self.get_response(request)
        if not callback or response.status_code != 200 or response.streaming or not _is_json(response):
            return response
        charset = response.charset or "utf-8"
        body = response.content.decode(charset)
        # U+2028/2029 are valid in JSON but end a line in older JavaScript.
        body = body.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        response.content = f"{callback}({body});".encode(charset)
        response["Content-Type"] = f"application/javascript; charset={charset}"
        response["X-Content-Type-Options"] = "nosniff"
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response

