"""Time the largest dataset the caps allow: its package_create and package_update, and `/` beside a few of them.

Every valid request must finish well inside gunicorn's worker timeout (60 s),
so the largest allowed dataset (CKAN_MAX_LIST_ITEMS, 1000 tags, 1000
resources and 1000 extras) is timed over HTTP, as a client meets it:

    .venv/bin/python bench/largest_dataset.py                      # starts gunicorn on a fresh SQLite + Whoosh
    DATABASE_URL=postgres://... SEARCH_URL=http://.../solr/core .venv/bin/python bench/largest_dataset.py
    .venv/bin/python bench/largest_dataset.py --url http://host:port --apikey KEY   # a running site

A started server gets a fresh var dir, `migrate`, a sysadmin and 2 gunicorn
workers (gunicorn.conf.py); the database and core named by DATABASE_URL and
SEARCH_URL are used as they are (the datasets get fresh names). Prints one
line per measurement: seconds for each create and update, and the median and
worst of GET / over --home-requests requests once --datasets of them exist.
"""
import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def dataset_body(name, items):
    return {
        "name": name,
        "title": f"Largest dataset {name}",
        "notes": "A dataset with as many tags, resources and extras as one may carry.",
        "tags": [{"name": f"{name}-tag-{i}"} for i in range(items)],
        "resources": [
            {"url": f"http://example.com/{name}/{i}.csv", "format": "CSV", "description": f"file {i}"}
            for i in range(items)
        ],
        "extras": [{"key": f"key-{i}", "value": f"value {i}"} for i in range(items)],
    }


class StartedSite:
    """gunicorn on a fresh var dir, with the environment's DATABASE_URL and SEARCH_URL (or SQLite + Whoosh)."""

    def __init__(self):
        self.var_dir = tempfile.mkdtemp(prefix="ckansite-largest-")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.env = dict(os.environ, CKAN_VAR_DIR=self.var_dir, CKAN_SITE_URL=self.url, DEBUG="0",
                        SECRET_KEY="bench-" + os.urandom(12).hex())
        python = sys.executable
        subprocess.run([python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=self.env, check=True)
        self.apikey = subprocess.run(
            [python, "manage.py", "create_sysadmin", "bench-largest"], cwd=ROOT, env=self.env, check=True,
            capture_output=True, text=True,
        ).stdout.strip().splitlines()[-1]
        self.log = open(os.path.join(self.var_dir, "server.log"), "wb")
        self.process = subprocess.Popen(
            [str(Path(python).parent / "gunicorn"), "ckansite.wsgi:application", "--config", "gunicorn.conf.py",
             "--bind", f"127.0.0.1:{port}", "--workers", "2", "--no-control-socket"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/api/util/status", timeout=5).ok:
                    return
            except requests.RequestException:
                time.sleep(0.3)
        self.stop()
        raise SystemExit("the server did not start; see " + self.log.name)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        self.log.close()


def timed_action(session, url, action, body):
    started = time.perf_counter()
    response = session.post(f"{url}/api/action/{action}", json=body, timeout=300)
    seconds = time.perf_counter() - started
    try:
        answer = response.json()
    except ValueError:
        raise SystemExit(f"{action}: {response.status_code} after {seconds:.1f} s, not JSON: {response.text[:500]!r}")
    if response.status_code != 200 or not answer.get("success"):
        raise SystemExit(f"{action} failed ({response.status_code}): {str(answer)[:500]}")
    return seconds, answer["result"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running site (default: start one)")
    parser.add_argument("--apikey", help="a sysadmin's API key on --url")
    parser.add_argument("--items", type=int, default=1000, help="tags, resources and extras each (the cap: 1000)")
    parser.add_argument("--datasets", type=int, default=3, help="largest datasets to create (default 3)")
    parser.add_argument("--home-requests", type=int, default=20, help="GET / requests to time (default 20)")
    args = parser.parse_args()

    site = None if args.url else StartedSite()
    url, apikey = (args.url.rstrip("/"), args.apikey) if args.url else (site.url, site.apikey)
    session = requests.Session()
    session.headers["Authorization"] = apikey
    run = time.strftime("%H%M%S") + os.urandom(2).hex()
    stack = "SQLite + Whoosh"
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        stack = "PostgreSQL + " + ("Solr" if os.environ.get("SEARCH_URL", "").startswith("http") else "Whoosh")
    print(f"largest dataset bench: {args.items} tags, resources and extras each, {args.datasets} datasets, "
          f"{args.url or stack + ' (started here)'}")
    try:
        for number in range(args.datasets):
            name = f"largest-{run}-{number}"
            seconds, created = timed_action(session, url, "package_create", dataset_body(name, args.items))
            print(f"package_create  {name}: {seconds:6.2f} s")
            created["notes"] += " Updated."
            for resource in created["resources"]:
                resource["description"] += " (updated)"
            for extra in created["extras"]:
                extra["value"] += " (updated)"
            seconds, _ = timed_action(session, url, "package_update", created)
            print(f"package_update  {name}: {seconds:6.2f} s")
        home = []
        for _ in range(args.home_requests):
            started = time.perf_counter()
            response = requests.get(url + "/", timeout=60)
            home.append(time.perf_counter() - started)
            response.raise_for_status()
        print(f"GET /  ({args.home_requests} requests): median {statistics.median(home) * 1000:.0f} ms, "
              f"worst {max(home) * 1000:.0f} ms")
    finally:
        if site is not None:
            site.stop()


if __name__ == "__main__":
    main()
