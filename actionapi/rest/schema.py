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
        return OpenApiTypes.ANY

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
