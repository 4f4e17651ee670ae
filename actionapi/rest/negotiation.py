"""Content negotiation for the REST API: JSON for everyone except browsers."""
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer


class JsonUnlessHtmlNegotiation(BaseContentNegotiation):
    """DRF's browsable API when the client asks for text/html, JSON otherwise.

    Clients of CKAN 1.6 send any Accept header (or none) and expect JSON; an
    Accept header DRF cannot satisfy must not turn into a 406.
    """

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        accept = request.META.get("HTTP_ACCEPT", "")
        wants_html = any(part.split(";")[0].strip().lower() == "text/html" for part in accept.split(","))
        preferred = BrowsableAPIRenderer if wants_html else JSONRenderer
        for renderer in renderers:
            if isinstance(renderer, preferred):
                return renderer, renderer.media_type
        for renderer in renderers:
            if isinstance(renderer, JSONRenderer):
                return renderer, renderer.media_type
        return renderers[0], renderers[0].media_type
