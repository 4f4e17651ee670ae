"""What every REST and Util view shares: the API version, the action call, the body."""
from urllib.parse import quote

from rest_framework.views import APIView

from actionapi.requests import BodyError, parse_json_body
from actionapi.rest.schema import ActionAdapterSchema
from actionapi.views import api_context
from catalog.logic import registry


class ActionAdapterView(APIView):
    """A DRF view that turns a request into one action call.

    `api_version` (1 or 2) comes from the URL the view is mounted under:
    /api/rest and /api/1/rest are v1 (references by name), /api/2/rest is v2
    (references by id). Errors are mapped by actionapi.rest.errors.
    """

    api_version = 1
    # Does POST create (201) rather than update? Said here for the OpenAPI description.
    creates = False
    schema = ActionAdapterSchema()

    def call(self, action_name, data_dict, **context_extra):
        context = api_context(self.request, api_version=self.api_version)
        context.update(context_extra)
        return registry.get_action(action_name)(context, data_dict)

    def body(self, *, allow_empty=False):
        """The request body as a dict: raw JSON, curl-style or the old `<json>=1` form."""
        django_request = self.request._request
        if allow_empty and not django_request.body.strip():
            return {}
        data = parse_json_body(django_request)
        if not isinstance(data, dict):
            raise BodyError("Request body must be a JSON object")
        return data

    def ref_of(self, obj):
        """How this API version refers to a dataset or group dict: v1 by name, v2 by id."""
        if isinstance(obj, dict):
            key = "id" if self.api_version == 2 else "name"
            return obj.get(key) or obj.get("name") or obj.get("id")
        return obj

    def location(self, *segments):
        """The absolute URL of an entity below this view's register, for a Location header."""
        path = self.request.path.rstrip("/") + "".join("/" + quote(str(s), safe="") for s in segments)
        return self.request.build_absolute_uri(path)
