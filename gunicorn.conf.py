"""gunicorn settings shared by `make run`, `make bench` (bench/run.sh) and CI (.ci/run).

gunicorn reads this file from the working directory (the repository root);
command-line flags (--bind, --workers...) still override it. Environment:

- WORKERS: worker processes (default 2, as CKAN was measured with).
- THREADS: threads per worker (default 4). More than one selects the
  `gthread` worker: a worker waiting on PostgreSQL or Solr serves another
  request meanwhile, and idle keep-alive connections do not hold a worker.
- GUNICORN_TIMEOUT: seconds before a stuck worker is restarted (default 60).
"""
import os

workers = int(os.environ.get("WORKERS", "2"))
threads = int(os.environ.get("THREADS", "4"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
keepalive = 5
