"""The OpenAPI 3 description of the whole API, served at /api/openapi.json.

drf-spectacular describes the DRF views (Model and Util APIs). A
post-processing hook adds what it cannot see: one operation per Action API
action (its docstring is the description, as in the envelope's `help`), and
a generic operation for every other route under /api/ that is not a DRF view
(the Search API), so the description and the URLconf list the same routes.
"""
import inspect
import re

from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.views import APIView

from catalog.logic import registry

ACTION_ROUTES = {"/api/action/{name}", "/api/3/action/{name}"}
_CONVERTER_RE = re.compile(r"<(?:\w+:)?(\w+)>")


class OpenApiView(SpectacularJSONAPIView):
    """The OpenAPI 3 description of the Model, Util, Search and Action APIs."""


def _walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def api_routes(urlconf=None):
    """{OpenAPI path template: view callback} for /api and every URL pattern under /api/."""
    routes = {}
    for route, callback in _walk(get_resolver(urlconf).url_patterns):
        if route.startswith("^"):
            continue
        template = "/" + _CONVERTER_RE.sub(r"{\1}", route)
        if template == "/api" or template.startswith("/api/"):
            routes.setdefault(template, callback)
    return routes


def _is_drf_view(callback):
    cls = getattr(callback, "cls", None)
    return isinstance(cls, type) and issubclass(cls, APIView)


def _json_response(description):
    return {"description": description, "content": {"application/json": {"schema": {}}}}


def _action_operation(name, method):
    operation = {
        "operationId": f"action_{name}_{method}",
        "summary": name,
        "description": registry.help_text(name),
        "tags": ["Action API"],
        "responses": {
            "200": {
                "description": "The envelope {help, success, result | error}",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "help": {"type": "string"},
                                "success": {"type": "boolean"},
                                "result": {},
                                "error": {"type": "object"},
                            },
                            "required": ["help", "success"],
                        }
                    }
                },
            },
            "400": _json_response("The request could not be read (unknown action, bad JSON)"),
        },
    }
    if method == "post":
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    return operation


def _action_paths():
    paths = {}
    names = registry.action_names()
    for name in names:
        item = {"post": _action_operation(name, "post")}
        if registry.is_read_only(name):
            item["get"] = _action_operation(name, "get")
        paths[f"/api/3/action/{name}"] = item
    paths["/api/action/{name}"] = {
        "post": {
            "operationId": "action_unversioned",
            "summary": "Any action, without the version prefix",
            "description": "The same as /api/3/action/{name}: see the operation of each action.",
            "tags": ["Action API"],
            "parameters": [
                {"name": "name", "in": "path", "required": True, "schema": {"type": "string", "enum": names}}
            ],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}},
            "responses": {"200": _json_response("The envelope {help, success, result | error}")},
        }
    }
    return paths


def _generic_item(template, callback):
    """An operation for a plain Django view under /api/ (GET and POST, JSON out)."""
    description = inspect.getdoc(callback) or ""
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"{(\w+)}", template)
    ]
    slug = re.sub(r"\W+", "_", template.strip("/")) + ("_slash" if template.endswith("/") else "")
    item = {}
    for method in ("get", "post"):
        operation = {
            "operationId": f"{slug}_{method}",
            "description": description,
            "tags": ["Search API" if "search" in template or "tag_counts" in template else "API"],
            "parameters": parameters,
            "responses": {"200": _json_response("JSON")},
        }
        if method == "post":
            operation["requestBody"] = {"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}}
        item[method] = operation
    return item


def add_action_api(result, generator, request, public):
    """drf-spectacular post-processing hook: complete the description with non-DRF routes."""
    paths = result.setdefault("paths", {})
    paths.update(_action_paths())
    for template, callback in api_routes().items():
        if template in ACTION_ROUTES or template in paths or _is_drf_view(callback):
            continue
        paths[template] = _generic_item(template, callback)
    result["paths"] = dict(sorted(paths.items()))
    return result
