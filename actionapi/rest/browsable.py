"""DRF's browsable API as this site's: read-only in the browser, and saying how to send the key.

The API authenticates by API key only, never by the login session (a page
elsewhere must not be able to make a logged-in visitor's browser write).
A browser does not send the key, so every PUT, POST or DELETE made from a
browsable page would be refused: the page offers no such form or button, and
shows the curl line that does work instead.
"""
import shlex

from django.conf import settings
from rest_framework.renderers import BrowsableAPIRenderer

# The methods a browser can use here without a key.
KEYLESS_METHODS = {"GET", "HEAD", "OPTIONS"}
# Example bodies for the curl lines: enough to show the shape of a write. A POST
# creates on a register (ActionAdapterView.creates) and updates in part elsewhere.
CREATE_BODY = '{"name": "my-dataset"}'
UPDATE_BODY = '{"title": "A new title"}'


class SiteBrowsableAPIRenderer(BrowsableAPIRenderer):
    """The browsable API, branded for the site, with forms only for what needs no key."""

    template = "actionapi/browsable_api.html"

    def show_form_for_method(self, view, method, request, obj):
        if method not in KEYLESS_METHODS:
            return False
        return super().show_form_for_method(view, method, request, obj)

    def get_context(self, data, accepted_media_type, renderer_context):
        context = super().get_context(data, accepted_media_type, renderer_context)
        request = renderer_context["request"]
        context["curl_examples"] = curl_examples(
            request.build_absolute_uri(), context["allowed_methods"], creates=getattr(context["view"], "creates", False)
        )
        # A site may name one more header for the key (accounts.authentication); the two below always work.
        extra = settings.CKAN_APIKEY_HEADER_NAME
        context["extra_apikey_header"] = "" if extra.lower() in ("x-ckan-api-key", "authorization") else extra
        return context


def curl_examples(url, allowed_methods, creates=False):
    """One curl command line per method this URL answers: writes carry the key header, reads need none."""
    quoted = shlex.quote(url)
    lines = []
    for method in ("GET", "POST", "PUT", "DELETE"):
        if method not in allowed_methods:
            continue
        if method == "GET":
            lines.append(f"curl {quoted}")
            continue
        parts = ["curl", "-X", method, "-H", shlex.quote("X-CKAN-API-Key: YOUR-API-KEY")]
        if method != "DELETE":
            parts += ["-d", shlex.quote(CREATE_BODY if method == "POST" and creates else UPDATE_BODY)]
        lines.append(" ".join(parts + [quoted]))
    return lines
