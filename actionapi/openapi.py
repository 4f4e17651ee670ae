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

from catalog.logic import descriptions, registry

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


def _json_response(description, schema=None):
    return {"description": description, "content": {"application/json": {"schema": schema if schema is not None else {}}}}


# ---------------------------------------------------------------- the Action API

# What the dispatcher answers besides 200: an unreadable request (400), a wrong
# method (405), a body over the size limit (413), a database that could not
# finish (503); with CKAN_ACTION_API_STATUS_CODES on, each action error's own status.
ACTION_ERROR_STATUSES = {
    "400": "The request could not be read (unknown action, bad JSON), or a Parameter or Search Query Error",
    "403": "Authorization Error (with CKAN_ACTION_API_STATUS_CODES)",
    "404": "Not Found Error (with CKAN_ACTION_API_STATUS_CODES)",
    "405": "The method is neither POST nor (for a read-only action) GET",
    "409": "Validation Error (with CKAN_ACTION_API_STATUS_CODES)",
    "413": "The body is over the size limit",
    "503": "The database could not complete the request; try again",
}
FAILURE = {"$ref": "#/components/schemas/ActionFailure"}
# What the site answers under /api/ for a request refused before any view reads it
# (a NUL character, a body over the limit: actionapi.middleware, ckansite.handlers).
REFUSED = {"$ref": "#/components/schemas/RequestRefused"}
# gunicorn's own answer to a request line over its limit (not a Django response).
URI_TOO_LONG = {"description": "The request line is over the server's limit"}


def _success_envelope(name):
    return {
        "type": "object",
        "properties": {
            "help": {"type": "string"},
            "success": {"type": "boolean", "enum": [True]},
            "result": descriptions.RESULTS[name],
        },
        "required": ["help", "success", "result"],
    }


def _query_parameters(schema):
    """The query parameters of a GET: the request schema's scalar (and list-of-text) properties."""
    parameters = []
    for key, prop in schema.get("properties", {}).items():
        if prop.get("type") in ("string", "integer", "boolean") or (
            prop.get("type") == "array" and prop["items"].get("type") == "string"
        ):
            parameters.append({"name": key, "in": "query", "required": key in schema.get("required", ()),
                               "schema": prop, **({"style": "form", "explode": True} if prop.get("type") == "array" else {})})
    return parameters


def _action_operation(name, method):
    operation = {
        "operationId": f"action_{name}_{method}",
        "summary": name,
        "description": registry.help_text(name),
        "tags": ["Action API"],
        "responses": {
            "200": _json_response(
                "The envelope {help, success, result | error}: success true with the result, or false with the "
                "error (the status stays 200 unless CKAN_ACTION_API_STATUS_CODES is on)",
                {"oneOf": [_success_envelope(name), FAILURE]},
            ),
            **{status: _json_response(text, {"anyOf": [FAILURE, REFUSED]})
               for status, text in ACTION_ERROR_STATUSES.items()},
            "414": URI_TOO_LONG,
        },
    }
    request = descriptions.REQUESTS[name]
    if method == "post":
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": request}}}
    else:
        operation["parameters"] = _query_parameters(request)
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
            "responses": {
                "200": _json_response("The envelope {help, success, result | error}", {
                    "oneOf": [{"type": "object", "properties": {"help": {"type": "string"},
                                                                "success": {"type": "boolean", "enum": [True]},
                                                                "result": {}},
                               "required": ["help", "success", "result"]}, FAILURE]}),
                **{status: _json_response(text, {"anyOf": [FAILURE, REFUSED]})
                   for status, text in ACTION_ERROR_STATUSES.items()},
                "414": URI_TOO_LONG,
            },
        }
    }
    return paths


# ---------------------------------------------------------------- the Model and Util APIs

ERROR = {"$ref": "#/components/schemas/Error"}
REST_ERROR_STATUSES = {
    "400": "The body could not be read, or a Parameter Error",
    "403": "Authorization Error",
    "404": "Not Found Error",
    "405": "Method not allowed",
    "409": "Validation Error: {__type, message, field: [messages]...}",
    "413": "The body is over the size limit",
    "503": "The database could not complete the request; try again",
}
_DELETED = {"type": "string", "enum": [""], "description": "CKAN 1.6 answers a delete with an empty JSON string"}


def _loose(schema):
    """A request schema with nothing required: the Model API's updates are partial."""
    return {key: value for key, value in schema.items() if key != "required"}


def _rest_table():
    """{view class: {method: (request schema or None, answer schema)}}: what each Model and Util
    API view takes and gives, from the descriptions of the actions it calls."""
    from actionapi import util
    from actionapi.rest import views as rest

    requests, results, ref = descriptions.REQUESTS, descriptions.RESULTS, descriptions.ref
    relationship_body = {"type": "object", "properties": {
        "type": requests["package_relationship_create"]["properties"]["type"],
        "object": {"type": "string"}, "comment": {"type": "string", "nullable": True}}}
    relationships = (None, results["package_relationships_list"])
    relationship_create = (relationship_body, results["package_relationship_create"])

    def result_set(item):
        return {"type": "object", "required": ["ResultSet"], "properties": {"ResultSet": {
            "type": "object", "required": ["Result"],
            "properties": {"Result": {"type": "array", "items": item}}}}}

    text = {"type": "string"}
    return {
        rest.DatasetRegister: {"get": (None, results["package_list"]),
                               "post": (requests["package_create_rest"], ref("PackageRest"))},
        rest.DatasetEntity: {"get": (None, ref("PackageRest")),
                             "put": (_loose(requests["package_update_rest"]), ref("PackageRest")),
                             "post": (_loose(requests["package_update_rest"]), ref("PackageRest")),
                             "delete": (None, _DELETED)},
        rest.GroupRegister: {"get": (None, results["group_list"]),
                             "post": (requests["group_create_rest"], ref("GroupRest"))},
        rest.GroupEntity: {"get": (None, ref("GroupRest")),
                           "put": (_loose(requests["group_update_rest"]), ref("GroupRest")),
                           "post": (_loose(requests["group_update_rest"]), ref("GroupRest")),
                           "delete": (None, _DELETED)},
        rest.TagRegister: {"get": (None, results["tag_list"])},
        rest.TagEntity: {"get": (None, results["tag_show_rest"])},
        rest.RatingRegister: {"post": (requests["rating_create"], results["rating_create"])},
        rest.RelationshipsRegister: {"get": relationships, "post": relationship_create},
        rest.RelationshipsWithRegister: {"get": relationships, "post": relationship_create},
        rest.RelationshipsOfTypeRegister: {"get": relationships, "post": relationship_create},
        rest.RelationshipEntity: {"get": relationships, "post": relationship_create,
                                  "put": (relationship_body, results["package_relationship_update"]),
                                  "delete": (None, _DELETED)},
        rest.DatasetRevisions: {"get": (None, results["package_revision_list"])},
        rest.RevisionRegister: {"get": (None, results["revision_list"])},
        rest.RevisionEntity: {"get": (None, results["revision_show"])},
        rest.LicenseList: {"get": (None, results["licence_list"])},
        util.DatasetAutocomplete: {"get": (None, result_set(results["package_autocomplete"]["items"]))},
        util.TagAutocomplete: {"get": (None, result_set(
            {"type": "object", "required": ["Name"], "properties": {"Name": text}}))},
        util.FormatAutocomplete: {"get": (None, result_set(
            {"type": "object", "required": ["Format"], "properties": {"Format": text}}))},
        util.UserAutocomplete: {"get": (None, results["user_autocomplete"])},
        util.Markdown: {"get": (None, text)},
        util.IsSlugValid: {"get": (None, {"type": "object", "required": ["valid"],
                                          "properties": {"valid": {"type": "boolean"}}})},
        util.MungeName: {"get": (None, text)},
        util.MungeTitleToName: {"get": (None, text)},
        util.MungeTag: {"get": (None, text)},
        util.Status: {"get": (None, results["status_show"])},
    }


def _describe_rest_item(item, table):
    """Put the request and answer schemas of `table` into a drf-spectacular path item."""
    for method, operation in item.items():
        request, answer = table[method]
        if request is not None:
            operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": request}}}
        else:
            operation.pop("requestBody", None)
        responses = {}
        for status, response in operation.get("responses", {}).items():
            if status.startswith("2"):
                responses[status] = _json_response(response.get("description") or "OK", answer)
        responses.update({status: _json_response(text, {"anyOf": [ERROR, REFUSED]})
                          for status, text in REST_ERROR_STATUSES.items()})
        responses["414"] = URI_TOO_LONG
        operation["responses"] = responses


# ---------------------------------------------------------------- the Search API

SEARCH_PARAMETERS = {
    "q": "the query", "fq": "a filter query (v3)", "fl": "the fields of each result (v3)",
    "sort": "e.g. name asc (v3)", "rows": "the page size (v3)", "start": "the offset (v3)",
    "order_by": "the field to sort on (v1/v2)", "limit": "the page size", "offset": "the offset",
    "all_fields": "whole records instead of names or ids", "qjson": "every parameter as one JSON object",
    "since_id": "revisions after this one (revision search)", "since_time": "revisions after this time",
}
SEARCH_ERROR = {"anyOf": [
    {"type": "string", "description": "the error's message"},
    {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
    REFUSED,
]}


def _is_search(template):
    return "search" in template or "tag_counts" in template


def _search_answer(template):
    if not _is_search(template):
        return {"type": "object", "required": ["version"], "properties": {"version": {"type": "integer"}}}
    if template.endswith("tag_counts"):
        return {"type": "array", "items": {"type": "array", "items": {}}, "description": "[[tag, count], ...]"}
    if template.endswith("revision"):
        return {"type": "array", "items": {"type": "string"}}
    return {"type": "object", "required": ["count", "results"],
            "properties": {"count": {"type": "integer"}, "results": {"type": "array"}}}


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
            "tags": ["Search API" if _is_search(template) else "API"],
            "parameters": parameters,
            "responses": {
                "200": _json_response("JSON", _search_answer(template)),
                **{status: _json_response("The error's message", SEARCH_ERROR)
                   for status in ("400", "403", "404", "405", "409", "413")},
                "414": URI_TOO_LONG,
            },
        }
        if _is_search(template) and method == "get":
            operation["parameters"] = parameters + [
                {"name": name, "in": "query", "required": False, "description": text, "schema": {"type": "string"}}
                for name, text in SEARCH_PARAMETERS.items()
            ]
        elif _is_search(template):
            operation["requestBody"] = {"content": {"application/json": {"schema": {
                "type": "object", "properties": {name: {"type": "string", "description": text}
                                                 for name, text in SEARCH_PARAMETERS.items()}}}}}
        item[method] = operation
    return item


def add_action_api(result, generator, request, public):
    """drf-spectacular post-processing hook: complete the description with non-DRF routes."""
    paths = result.setdefault("paths", {})
    paths.update(_action_paths())
    table = _rest_table()
    for template, callback in api_routes().items():
        if _is_drf_view(callback) and template in paths and callback.cls in table:
            _describe_rest_item(paths[template], table[callback.cls])
        if template in ACTION_ROUTES or template in paths or _is_drf_view(callback):
            continue
        paths[template] = _generic_item(template, callback)
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(descriptions.COMPONENTS)
    schemas["Error"] = descriptions.ERROR
    schemas["ActionFailure"] = {
        "type": "object",
        "properties": {"help": {"type": "string"}, "success": {"type": "boolean", "enum": [False]},
                       "error": {"$ref": "#/components/schemas/Error"}},
        "required": ["help", "success", "error"],
    }
    schemas["RequestRefused"] = {
        "type": "object",
        "properties": {"success": {"type": "boolean", "enum": [False]},
                       "error": {"$ref": "#/components/schemas/Error"}},
        "required": ["success", "error"],
    }
    result["paths"] = dict(sorted(paths.items()))
    return result
