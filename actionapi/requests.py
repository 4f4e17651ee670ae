"""Reading API request bodies the three ways clients send them.

- raw JSON (`Content-Type: application/json`);
- `curl -d '{...}'`: raw JSON under the form content type;
- old clients: the URL-encoded JSON string as the only form key, value `1`
  (or empty).
"""
import json
import re
from urllib.parse import parse_qsl

from catalog.logic.errors import JSONError


class BodyError(Exception):
    """The request body is missing or cannot be read as JSON."""


NUL_MESSAGE = "The request contains a NUL character (\\u0000), which no field accepts"
SURROGATE_MESSAGE = (
    "The request contains a lone UTF-16 surrogate (\\ud800-\\udfff without its pair), "
    "which is not a character and no field accepts"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
# Only an escape can carry a lone surrogate (raw ones are invalid UTF-8), in any case.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _refuse_constant(name):
    # Python's json accepts NaN, Infinity and -Infinity; JSON (RFC 8259) does not.
    raise ValueError(f"{name} is not valid JSON (use null or a string)")


def loads(text):
    """Strict JSON: no NaN/Infinity, no NUL, no lone surrogate; BodyError on anything else wrong.

    Every JSON text a client sends (bodies, qjson, JSON-valued parameters) is read here.
    """
    try:
        return _checked(json.loads(text, parse_constant=_refuse_constant), text)
    except RecursionError:
        raise BodyError("Request body is nested too deeply") from None


def _contains(value, test):
    if isinstance(value, str):
        return test(value)
    if isinstance(value, dict):
        return any(_contains(k, test) or _contains(v, test) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains(v, test) for v in value)
    return False


def contains_surrogate(value):
    """Does any string in this decoded JSON value (keys included) hold a lone surrogate?"""
    return _contains(value, lambda text: _SURROGATE.search(text) is not None)


def contains_nul(value):
    """Does any string in this decoded JSON value (keys included) hold a NUL character?"""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(k) or contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(contains_nul(v) for v in value)
    return False


def _checked(value, text):
    # PostgreSQL cannot store NUL in text, and no CKAN field means one: refuse it
    # up front (a raw NUL is already invalid JSON; only the escape can carry one).
    try:
        if "\\u0000" in text and contains_nul(value):
            raise BodyError(NUL_MESSAGE)
        # No database driver or encoder can write a lone surrogate: refuse it
        # here, once, rather than as a 500 wherever it would be stored or echoed.
        if _SURROGATE_ESCAPE.search(text) and contains_surrogate(value):
            raise BodyError(SURROGATE_MESSAGE)
    except RecursionError:
        raise BodyError("Request body is nested too deeply") from None
    return value


def parse_json_body(request, *, allow_empty=False):
    """The request body as a Python value (usually a dict); BodyError if unreadable."""
    raw = request.body
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BodyError("Request body is not valid UTF-8") from None
    if not text.strip():
        if allow_empty:
            return None
        raise BodyError("Request body is empty: send a JSON object")
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    try:
        return loads(text)
    except ValueError as exc:
        json_error = exc
    if content_type == "application/x-www-form-urlencoded" or content_type == "":
        pairs = parse_qsl(text, keep_blank_values=True)
        if len(pairs) == 1 and pairs[0][1] in ("1", ""):
            try:
                return loads(pairs[0][0])
            except ValueError as exc:
                json_error = exc
    raise BodyError(f"Could not parse request body as JSON: {json_error}")


def querydict_to_dict(querydict, drop=("callback", "_")):
    """GET parameters as a dict; repeated keys become lists."""
    data = {}
    for key in querydict:
        if key in drop:
            continue
        values = querydict.getlist(key)
        data[key] = values if len(values) > 1 else values[0]
    return data


__all__ = ["BodyError", "JSONError", "loads", "parse_json_body", "querydict_to_dict"]
