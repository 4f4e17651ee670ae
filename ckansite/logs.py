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


class DropPysolrRefusal(logging.Filter):
    """pysolr logs every request Solr answers with a client error (a 4xx: a document
    or a query it cannot take) at ERROR, with Solr's reason; searchapi logs the same
    failure itself, once per attempt, as a WARNING naming the datasets to re-index
    (searchapi.indexing) or as a search engine failure (searchapi.engine). pysolr's
    copy, repeated at each round of the pending-index retry, is dropped; its records
    of requests no node answered stay."""

    REFUSAL = "Solr responded with an error (HTTP %s): %s"

    def filter(self, record):
        if record.msg == self.REFUSAL and record.args:
            try:
                return not 400 <= int(record.args[0]) < 500
            except (TypeError, ValueError):
                return True
        return True
