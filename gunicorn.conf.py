"""gunicorn settings shared by `make run`, `make bench` (bench/run.sh) and CI (.ci/run).

gunicorn reads this file from the working directory (the repository root);
command-line flags (--bind, --workers...) still override it. Environment:

- WORKERS: worker processes (default 2, as CKAN was measured with).
- THREADS: threads per worker. More than one selects the `gthread` worker:
  a worker waiting on PostgreSQL or Solr serves another request meanwhile,
  and idle keep-alive connections do not hold a worker. Default 4 on
  PostgreSQL + Solr; 1 (sync workers) otherwise: SQLite writers queue on one
  database lock and Whoosh writers on one index lock (more threads only
  lengthen the queue), and every thread keeps its own Whoosh searcher and
  caches (after the N=1000 bench on SQLite + Whoosh: ~400 MB per worker with
  4 threads, ~180 MB with sync workers).
- GUNICORN_TIMEOUT: seconds before a stuck worker is restarted (default 60).

Each worker also starts the thread that retries failed index updates
(searchapi.pending_retry, every CKAN_REINDEX_PENDING_INTERVAL seconds).

Request limits: a request line (method, URL, protocol) of up to 8190 bytes,
gunicorn's largest bounded value, reaches Django, which serves API URLs of up to
CKAN_MAX_URL_LENGTH (8000) characters and answers longer ones with a JSON 414;
a longer request line, more than 100 headers or one over 8190 bytes get a JSON
414 or 431 from the worker itself (ckansite/gunicorn_workers.py).
"""
import os

workers = int(os.environ.get("WORKERS", "2"))
_server_stack = os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get(
    "SEARCH_URL", ""
).startswith(("http://", "https://"))
threads = int(os.environ.get("THREADS", "4" if _server_stack else "1"))
worker_class = (
    "ckansite.gunicorn_workers.JsonErrorThreadWorker" if threads > 1 else "ckansite.gunicorn_workers.JsonErrorSyncWorker"
)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
keepalive = 5
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190


def post_worker_init(worker):
    """The application is loaded (Django is set up): start the pending-index retry thread.

    Not for an application without Django (bench/ceiling.py, served with these settings)."""
    from django.conf import settings

    if not settings.configured:
        return
    from searchapi import pending_retry

    pending_retry.start(settings.CKAN_REINDEX_PENDING_INTERVAL)
