"""How drf-spectacular describes a view that adapts an action: JSON in, JSON out.

The bodies are the spec's Model formats, produced by the actions, so there is
no serializer to introspect; the description is the view's docstring.
"""
import re

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """The API key, sent raw in `Authorization` (or `X-CKAN-API-Key`)."""

    target_class = "accounts.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization"}


class ActionAdapterSchema(AutoSchema):
    """Any JSON request and response; tags by API surface and version."""

    def get_request_serializer(self):
        if self.method in ("POST", "PUT"):
            return OpenApiTypes.OBJECT
        return None

    def get_response_serializers(self):
        # A successful POST to a register creates (201); every action error maps
        # to one of the statuses of actionapi.errors, with an {__type, message} body.
        success = 201 if self.method == "POST" and getattr(self.view, "creates", False) else 200
        responses = {success: OpenApiTypes.ANY}
        responses.update({status: OpenApiTypes.OBJECT for status in (400, 403, 404, 409)})
        return responses

    def get_operation_id(self):
        # Unique per route and method: the three prefixes share view classes.
        slug = re.sub(r"[^A-Za-z0-9]+", "_", self.path.strip("/")).strip("_")
        return f"{slug}_{self.method.lower()}"

    def get_tags(self):
        parts = [p for p in self.path.split("/") if p]
        version = parts[1] if len(parts) > 1 and parts[1] in ("1", "2") else "1"
        if "rest" in parts:
            return [f"Model API v{version}"]
        if "util" in parts:
            return ["Util API"]
        return ["API"]
