"""The Content-Security-Policy middleware, with the header's text built once.

django-csp's middleware builds the header from the settings on every response:
two dataclass-to-dict copies and a walk over the directives per header, a
tenth of package_show's time in Python. The text changes only with the
settings, a view's own csp decorators or a nonce; a response with neither
decorator nor nonce gets the text built once per setting (rebuilt when a test
changes the setting), and everything else goes through django-csp as before.
"""
import functools

from csp import middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed

# What a view's csp_update / csp_replace / csp decorators leave on its response.
_VIEW_OVERRIDES = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")


@functools.cache
def _policy(report_only):
    return build_policy(report_only=report_only)


def _forget_policies(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policy.cache_clear()


setting_changed.connect(_forget_policies)


class CSPMiddleware(middleware.CSPMiddleware):
    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _VIEW_OVERRIDES
        ):
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response  # Django's debug pages, as django-csp leaves them
        for header, report_only, setting, exempt in (
            (HEADER, False, "CONTENT_SECURITY_POLICY", "_csp_exempt"),
            (HEADER_REPORT_ONLY, True, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro"),
        ):
            text = _policy(report_only)
            if not text or header in response or getattr(response, exempt, False) is not False:
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[header] = text
        # As django-csp does: a nonce asked for after the header was written is an error.
        request.csp_nonce = middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response
