"""gunicorn workers whose answer to an over-long request line or header is JSON, as every API error is.

gunicorn refuses a request line over 8190 bytes (its largest bounded
`limit_request_line`) and over-long or too many headers before Django sees the
request, with a small HTML page. Requests that long are API clients' (a search
URL that grew too long), so these workers answer them in the API's error
envelope instead, with the same status (414, 431). Everything else is
gunicorn's own behaviour; gunicorn.conf.py selects these classes.
"""
import json

from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine
from gunicorn.util import write_nonblock
from gunicorn.workers.gthread import ThreadWorker
from gunicorn.workers.sync import SyncWorker

_STATUS = {
    LimitRequestLine: (414, "URI Too Long", "URI too long: the request line is over {limit} bytes"),
    LimitRequestHeaders: (431, "Request Header Fields Too Large", "Request headers too large: {error}"),
}


def json_error_response(status, reason, message):
    """The raw HTTP answer gunicorn sends in place of its HTML error page."""
    body = json.dumps({"help": "", "success": False, "error": {"__type": reason, "message": message}}).encode()
    head = (f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode("latin-1") + body


class _JsonLimitErrors:
    def handle_error(self, req, client, addr, exc):
        for kind, (status, reason, template) in _STATUS.items():
            if isinstance(exc, kind):
                self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
                message = template.format(limit=self.cfg.limit_request_line, error=exc)
                try:
                    write_nonblock(client, json_error_response(status, reason, message))
                except OSError:
                    self.log.debug("Failed to send error message.")
                return
        super().handle_error(req, client, addr, exc)


class JsonErrorSyncWorker(_JsonLimitErrors, SyncWorker):
    """gunicorn's sync worker, answering over-long requests with JSON."""


class JsonErrorThreadWorker(_JsonLimitErrors, ThreadWorker):
    """gunicorn's gthread worker, answering over-long requests with JSON."""
