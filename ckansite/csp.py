"""django-csp's middleware, building each policy header once instead of on every response.

The policy comes from settings; a response only changes it through django-csp's
decorators (`_csp_config`, `_csp_update`, `_csp_replace`, and their report-only
twins) or by using a nonce. Responses with none of those (every API answer)
get the headers built for the current settings objects, kept until those
objects change (as `override_settings` does in tests).
"""
import http.client
from dataclasses import asdict

from django.conf import settings

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy

_PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")


class CachedCSPMiddleware(CSPMiddleware):
    _built = (None, None, None)  # (policy setting, report-only setting, (header, report-only header))

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(hasattr(response, name) for name in _PER_RESPONSE):
            return super().process_response(request, response)
        return self._apply(request, response)

    def _headers(self, request, response):
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        built_for, built_ro_for, headers = self._built
        if built_for is not policy or built_ro_for is not report_only or headers is None:
            headers = (
                build_policy(**asdict(self.get_policy_parts(request=request, response=response))),
                build_policy(**asdict(self.get_policy_parts(request=request, response=response, report_only=True)),
                             report_only=True),
            )
            type(self)._built = (policy, report_only, headers)
        return headers

    def _apply(self, request, response):
        if response.status_code in (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND) and settings.DEBUG:
            return response
        csp, csp_ro = self._headers(request, response)
        for header, value, exempt, setting in (
            (HEADER, csp, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, csp_ro, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            if not value or header in response or getattr(response, exempt, False):
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[header] = value
        # As django-csp does: a nonce asked for after the header is written is an error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
