"""A Solr connection that fails over between the nodes of a SolrCloud.

`SEARCH_URL` may name several nodes serving the same collection, separated by
commas (`http://solr1:8983/solr/ckan,http://solr2:8983/solr/ckan`). Every node
of a SolrCloud answers for the whole collection (it routes queries and updates
to the shards' replicas), so when the node in use cannot be reached, the same
request is sent to the next one, and that node stays in use until it fails in
turn. Only failures that mean "this node is not there" move on: a refused or
dropped connection, a timeout, or a 503 from a node that is starting or
stopping. Any other answer (a 400 for a bad query, say) is the answer.

Retrying an update on another node is safe: adds and deletes by id are
idempotent, and a soft commit repeated is only a little wasted work.
"""
import logging
import re
import threading

import requests
from pysolr import Solr, SolrError

log = logging.getLogger(__name__)

_FORM = "application/x-www-form-urlencoded; charset=utf-8"
# Solr's answer when a node is up but cannot serve (starting, stopping, no live replica).
_UNAVAILABLE = "(HTTP 503)"
# How pysolr words an answer of Solr's with a client-error status.
_REFUSED = re.compile(r"\(HTTP 4\d\d\)")


def node_urls(setting):
    """The node URLs of a SEARCH_URL setting: one or several, comma-separated."""
    return [url.strip().rstrip("/") for url in setting.split(",") if url.strip()]


def refused(error):
    """Whether Solr answered, and refused the request (a 4xx): sending it again will not do."""
    return isinstance(error, SolrError) and _REFUSED.search(str(error)) is not None


class DropRefusalRecords(logging.Filter):
    """For the `pysolr` logger (ckansite.settings.LOGGING): drop its ERROR record of
    each request Solr refused (a 4xx, with Solr's reason). searchapi logs the same
    failure itself, once per attempt, as a WARNING naming the datasets to re-index
    (searchapi.indexing) or as a search engine failure (searchapi.engine); pysolr's
    copy was repeated at each round of the pending-index retry. Its records of
    requests no node answered, and of Solr's 5xx answers, stay."""

    def filter(self, record):
        return not (record.levelno >= logging.ERROR and _REFUSED.search(record.getMessage()) is not None)


def _node_missing(error):
    """Whether a SolrError from pysolr means the node did not answer (so another may)."""
    cause = error.__context__
    if isinstance(cause, (requests.exceptions.ConnectionError, requests.exceptions.Timeout)):
        return True
    return _UNAVAILABLE in str(error)


class FailoverSolr(Solr):
    """pysolr's Solr over several nodes: the first that answers serves, and stays in use."""

    def __init__(self, urls, **kwargs):
        urls = list(urls)
        if not urls:
            raise ValueError("FailoverSolr needs at least one node URL")
        super().__init__(urls[0], **kwargs)
        self.urls = urls
        self._lock = threading.Lock()
        self._local = threading.local()
        self._current = 0

    def _send_request(self, method, path="", body=None, headers=None, files=None):
        if method.lower() == "get" and "?" in path:
            # A query goes as a form POST: pysolr sends one under 1,024 characters as a
            # GET, and requests (urllib3) re-encoded such a URL in Python, character by
            # character, half of a faceted package_search's CPU on our side.
            path, body = path.split("?", 1)
            method, headers = "post", {**(headers or {}), "Content-type": _FORM}
        with self._lock:
            first = self._current
        last_error = None
        for step in range(len(self.urls)):
            index = (first + step) % len(self.urls)
            # The node this thread's request goes to (threads share this object).
            self._local.url = self.urls[index]
            try:
                response = super()._send_request(method, path, body, headers, files)
            except SolrError as error:
                if not _node_missing(error) or len(self.urls) == 1:
                    raise
                log.warning("Solr node %s did not answer (%s); trying the next node", self.urls[index], error)
                last_error = error
                continue
            finally:
                self._local.url = None
            if index != first:
                with self._lock:
                    self._current = index
                log.warning("Solr requests now go to %s", self.urls[index])
            return response
        raise last_error

    def get_session(self):
        """pysolr's session, minus proxy settings from the environment.

        requests otherwise reads the environment's proxy variables (and the
        netrc file) on every request: an eighth of a search's CPU. Solr is a
        service of the site's own network, reached directly.
        """
        if self.session is None:
            super().get_session().trust_env = False
        return self.session

    def _create_full_url(self, path=""):
        url = getattr(self._local, "url", None) or self.url
        return "/".join([url.rstrip("/"), path.lstrip("/")]) if path else url
