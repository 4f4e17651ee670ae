"""Logging filters."""
import logging


class OneLineSuspiciousRequest(logging.Filter):
    """A refused request (django.security.*: body too large, too many fields, bad Host)
    is the client's mistake, not the server's: log one WARNING line saying which
    request, without the traceback Django attaches."""

    def filter(self, record):
        if record.exc_info or record.exc_text:
            request = getattr(record, "request", None)
            where = f" ({request.method} {request.path})" if request is not None else ""
            record.msg = f"{record.getMessage()}{where}"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
