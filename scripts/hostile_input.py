"""Hostile input against a live gunicorn: no 5xx, no HTML under /api/, no traceback, nothing saved by a refusal.

Starts gunicorn (gunicorn.conf.py, 2 workers, DEBUG off) on a fresh var dir
with the environment's DATABASE_URL and SEARCH_URL (SQLite + Whoosh when
unset; give it an empty PostgreSQL database and core), makes a sysadmin, a
user, two datasets and a group, then sends, as the sysadmin (so every request
reaches validation):

- to every write action of the Action API (and the Model API's dataset and
  group writes): for every string field of a full body, lone surrogates, NUL,
  U+FFFE, and for every field a list, an object, a number and null in its
  place; and bodies that are not UTF-8 (an overlong sequence, an encoded
  surrogate, a stray byte);
- to every search surface: the same strings and invalid UTF-8 in the query
  string, deep and wide queries, over-long ones;
- the largest allowed dataset (CKAN_MAX_LIST_ITEMS tags, resources and extras
  each, which must be saved), one item over the cap and a body over
  Django's limit (which must not).

A case fails on a 5xx answer, an answer under /api/ that is not JSON, or a
refused write after which the catalog's tables (datasets and their rows,
groups, users, roles, revisions, versions) differ; the run fails on any
traceback in the server log. Prints one line per failure and ends with
"N passed, M failed in Ss" (one case per request), exit status 1 on any
failure. Used by .ci/run on SQLite + Whoosh and on PostgreSQL + Solr 9:

    .venv/bin/python scripts/hostile_input.py
    DATABASE_URL=postgres://.../empty_db SEARCH_URL=http://.../solr/core .venv/bin/python scripts/hostile_input.py
"""
import argparse
import copy
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this process reads the database through the project's own models

# Strings no field may hold, or that only a careful driver stores (JSON text of a str).
HOSTILE_STRINGS = {
    "lone surrogates": "a\ud800b\udfff",
    "NUL": "a\u0000b",
    "U+FFFE": "\ufffe",  # a noncharacter, but a Unicode scalar value: may be refused or stored, never a 5xx
}
STORABLE = {"U+FFFE"}
WRONG_TYPES = {"list": ["x"], "object": {"k": "v"}, "number": 12345, "null": None}
# Bytes that are not UTF-8, put raw inside a JSON string or a query string.
INVALID_UTF8 = {
    "overlong '/'": b"\xc0\xaf",
    "UTF-8 encoded surrogate": b"\xed\xa0\x80",
    "stray continuation byte": b"\x80",
    "0xFF": b"\xff",
}
PLACEHOLDER = "@@RAW@@"
# Bodies no action can read.
ODD_JSON = {
    "a list": b"[]", "a string": b'"x"', "NaN": b'{"name": NaN}', "Infinity": b'{"rating": Infinity}',
    "nested 5000 deep": b'{"a": ' + b"[" * 5000 + b"]" * 5000 + b"}", "cut short": b'{"name": "x',
}
CONCURRENCY = 3


class Server:
    """gunicorn on a fresh var dir, plus this process's own Django over the same database (to compare tables)."""

    def __init__(self):
        self.var_dir = tempfile.mkdtemp(prefix="ckansite-hostile-")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        os.environ.update(CKAN_VAR_DIR=self.var_dir, CKAN_SITE_URL=self.url, DEBUG="0",
                          SECRET_KEY=os.environ.get("SECRET_KEY") or "hostile-" + os.urandom(16).hex(),
                          DJANGO_SETTINGS_MODULE="ckansite.settings")
        python = sys.executable
        subprocess.run([python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True)
        if os.environ.get("SEARCH_URL", "").startswith("http"):
            subprocess.run([python, "manage.py", "clear_index", "--noinput", "-v", "0"], cwd=ROOT, check=True)
        self.apikey = subprocess.run([python, "manage.py", "create_sysadmin", "hostile-admin"], cwd=ROOT, check=True,
                                     capture_output=True, text=True).stdout.strip().splitlines()[-1]
        self.log_path = Path(self.var_dir, "server.log")
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [str(Path(python).parent / "gunicorn"), "ckansite.wsgi:application", "--config", "gunicorn.conf.py",
             "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--no-control-socket"],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while True:
            try:
                if requests.get(self.url + "/api/util/status", timeout=5).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise SystemExit("the server did not start:\n" + self.log_path.read_text(errors="replace"))
            time.sleep(0.3)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def watched_models():
    """Every table a write can change (not the derived stored dicts or the pending index queue)."""
    from django.apps import apps

    skip = {"PackageDictCache", "PendingIndex"}
    return [model for app in ("catalog", "accounts", "reversion") for model in apps.get_app_config(app).get_models()
            if model.__name__ not in skip]


FINGERPRINT_SECONDS = [0.0]


def fingerprint(models):
    """A digest of every row of the watched tables, read by this process's own connection."""
    from django.db import connection
    from django.db.models import Count, Max

    started = time.monotonic()

    digest = hashlib.sha256()
    for model in models:
        rows = model._base_manager.order_by()
        if model._meta.app_label == "reversion":
            # History only grows: its row count and newest key tell a new row, at a fraction of the cost.
            digest.update(repr(rows.aggregate(count=Count("pk"), newest=Max("pk"))).encode())
            continue
        for row in sorted(map(repr, rows.values_list())):
            digest.update(row.encode("utf-8", "surrogatepass"))
        digest.update(f"{model.__name__}\n".encode())
    connection.close()  # no transaction or snapshot kept open across the server's writes
    FINGERPRINT_SECONDS[0] += time.monotonic() - started
    return digest.hexdigest()


class Run:
    def __init__(self, server):
        self.server = server
        self.local = threading.local()
        self.lock = threading.Lock()
        self.passed = 0
        self.failures = []
        self.models = watched_models()
        # As many requests at once as the server has workers: the run takes a fraction of the time.
        self.pool = ThreadPoolExecutor(max_workers=CONCURRENCY)

    @property
    def session(self):
        """The sysadmin's session of this thread (a Session is not shared between threads)."""
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
            self.local.session.headers["Authorization"] = self.server.apikey
        return self.local.session

    # --- sending and judging one request
    def send(self, label, method, path, *, body=None, raw=None, query=None, anonymous=False):
        """One request; returns (accepted, answer JSON or None). Counts it passed or failed."""
        url = self.server.url + path + (f"?{query}" if query else "")
        headers = {"Content-Type": "application/json"}
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        sender = requests if anonymous else self.session
        try:
            response = sender.request(method, url, data=data, headers=headers, timeout=120)
        except requests.RequestException as exc:
            return self.fail(label, f"no answer: {exc}")
        problem = None
        answer = None
        if response.status_code >= 500:
            problem = f"{response.status_code}: {response.text[:200]!r}"
        elif path.startswith("/api/"):
            try:
                answer = response.json()
            except ValueError:
                problem = f"{response.status_code} not JSON ({response.headers.get('Content-Type')}): {response.text[:120]!r}"
        if problem:
            return self.fail(label, problem)
        with self.lock:
            self.passed += 1
        accepted = response.status_code < 300 and not (isinstance(answer, dict) and answer.get("success") is False)
        return accepted, answer

    def fail(self, label, problem):
        with self.lock:
            self.failures.append(f"{label}: {problem}")
            print(f"FAILED {label}: {problem}", flush=True)
        return None, None

    def _send_all(self, cases):
        return list(self.pool.map(lambda case: self.send(case[0], case[1], case[2], **case[3]), cases))

    def reads(self, cases):
        """Requests that change nothing whatever they get: judged on their answers only."""
        self._send_all(cases)

    def refused(self, label, cases):
        """Requests every one of which must be refused, after which the watched tables must be as before."""
        before = fingerprint(self.models)
        outcomes = self._send_all(cases)
        for case, (accepted, answer) in zip(cases, outcomes):
            if accepted:
                self.fail(case[0], f"accepted: {str(answer)[:200]}")
        if fingerprint(self.models) != before:
            self.fail(label, "the database changed though these requests were refused")

    def tolerated(self, label, cases):
        """Requests that may be accepted (a number where a string was, a valid odd character).

        The refused ones are then sent again, together, between two comparisons:
        a refusal leaves the tables as they were. (Sent one by one if some is
        accepted the second time.)
        """
        outcomes = self._send_all(cases)
        again = [case for case, (accepted, _) in zip(cases, outcomes) if accepted is False]
        if not again:
            return
        before = fingerprint(self.models)
        outcomes = self._send_all(again)
        if fingerprint(self.models) == before:
            return
        if not any(accepted for accepted, _ in outcomes):
            self.fail(label, "the database changed though these requests were refused")
            return
        for case, (accepted, _) in zip(again, outcomes):
            if accepted is False:
                before = fingerprint(self.models)
                if self.send(case[0], case[1], case[2], **case[3])[0] is False and fingerprint(self.models) != before:
                    self.fail(case[0], "a refused request changed the database")

    # --- the catalog the cases refer to
    def action(self, name, body):
        response = self.session.post(f"{self.server.url}/api/action/{name}", json=body, timeout=120)
        answer = response.json()
        if not answer.get("success"):
            raise SystemExit(f"setting up: {name} failed: {answer}")
        return answer["result"]


def full_dataset(name, group):
    return {
        "name": name, "title": "A title", "url": "http://example.com/", "notes": "Some notes",
        "author": "An author", "author_email": "a@example.com", "maintainer": "A maintainer",
        "maintainer_email": "m@example.com", "license_id": "odc-pddl", "version": "1.0",
        "tags": [{"name": "hostile-tag"}],
        "extras": [{"key": "source", "value": "somewhere"}],
        "resources": [{"url": "http://example.com/a.csv", "format": "CSV", "description": "A file", "name": "a",
                       "hash": "abc", "mimetype": "text/csv", "resource_type": "file"}],
        "groups": [{"name": group}],
    }


def write_bodies(objs):
    """A full body for every write action, valid for the sysadmin: the cases mutate them."""
    first, second, group, user = objs["first"], objs["second"], objs["group"], objs["user"]
    resource_id = first["resources"][0]["id"]
    dataset = full_dataset("hostile-new", group["name"])
    update = dict(full_dataset(first["name"], group["name"]), id=first["id"])
    rest_dataset = dict(dataset, tags=["hostile-tag"], groups=[group["name"]])
    group_body = {"name": "hostile-new-group", "title": "A group", "description": "About", "image_url": "http://example.com/i.png",
                  "extras": [{"key": "k", "value": "v"}], "packages": [{"name": first["name"]}]}
    relationship = {"subject": first["name"], "object": second["name"], "type": "depends_on", "comment": "c"}
    return {
        "package_create": dataset,
        "package_create_validate": dataset,
        "package_create_rest": rest_dataset,
        "package_update": update,
        "package_update_validate": update,
        "package_update_rest": dict(rest_dataset, id=first["id"], name=first["name"]),
        "package_patch": {"id": first["id"], "title": "patched", "notes": "n", "tags": [{"name": "t"}]},
        "package_delete": {"id": first["id"]},
        "dataset_purge": {"id": first["id"]},
        "make_latest_pending_package_active": {"id": first["id"]},
        "resource_create": {"package_id": first["id"], "url": "http://example.com/new.csv", "format": "CSV",
                            "description": "d", "name": "n"},
        "resource_update": {"id": resource_id, "url": "http://example.com/changed.csv", "format": "CSV",
                            "description": "d"},
        "resource_patch": {"id": resource_id, "description": "d"},
        "package_relationship_create": relationship,
        "package_relationship_update": relationship,
        "package_relationship_delete": relationship,
        "rating_create": {"package": first["name"], "rating": 4},
        "group_create": group_body,
        "group_create_rest": dict(group_body, packages=[first["name"]]),
        "group_update": dict(group_body, id=group["id"], name=group["name"]),
        "group_update_rest": dict(group_body, id=group["id"], name=group["name"], packages=[first["name"]]),
        "group_patch": {"id": group["id"], "title": "patched", "description": "d"},
        "group_delete": {"id": group["id"]},
        "group_purge": {"id": group["id"]},
        "user_create": {"name": "hostile-new-user", "email": "u@example.com", "password": "pass1234",
                        "fullname": "F", "about": "A"},
        "user_update": {"id": user["name"], "email": "changed@example.com", "fullname": "F", "about": "A",
                        "password": "pass5678"},
        "user_generate_apikey": {"id": user["name"]},
        "user_sysadmin_update": {"id": user["name"], "sysadmin": False},
        "user_role_update": {"user": user["name"], "domain_object": first["name"], "roles": ["editor"]},
        "user_role_bulk_update": {"domain_object": first["name"], "user_roles": [{"user": user["name"],
                                                                                "roles": ["editor"]}]},
    }


def leaves(value, path=()):
    """Every (path, value) in a JSON body: each key, each list item, down to the strings."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield path + (key,), item
            yield from leaves(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value[:1]):
            yield path + (index,), item
            yield from leaves(item, path + (index,))


def replaced(body, path, new):
    body = copy.deepcopy(body)
    target = body
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return body


def label_of(path):
    return ".".join(str(step) for step in path)


# Actions that validate the same bodies with the same schema as another one: wrong
# types only at the top level (the twin gets every field's); hostile strings everywhere.
TWINS = {"package_create_validate", "package_update_validate", "package_create_rest", "package_update_rest",
         "group_create_rest", "group_update_rest"}


def write_cases(run, name, body, endpoint=None, twin=False):
    """Every mutation of one action's body: what must be refused, then what may be accepted."""
    method, path = endpoint or ("POST", f"/api/action/{name}")

    def case(label, **request):
        return (f"{name} {label}", method, path, request)

    must_refuse, may_accept = [], []
    for field, value in leaves(body):
        for kind, new in (WRONG_TYPES.items() if len(field) == 1 or not twin else ()):
            may_accept.append(case(f"{label_of(field)} = {kind}", body=replaced(body, field, new)))
        if isinstance(value, str):
            for kind, new in HOSTILE_STRINGS.items():
                (may_accept if kind in STORABLE else must_refuse).append(
                    case(f"{label_of(field)} = {kind}", body=replaced(body, field, new)))
    # Not UTF-8: raw bytes inside the first string field's value.
    first_string = next(field for field, value in leaves(body) if isinstance(value, str))
    text = json.dumps(replaced(body, first_string, PLACEHOLDER)).encode()
    must_refuse += [case(f"body with {kind}", raw=text.replace(PLACEHOLDER.encode(), raw))
                    for kind, raw in INVALID_UTF8.items()]
    # Not an object at all, JSON constants, deep nesting, cut short.
    must_refuse += [case(f"body {kind}", raw=raw) for kind, raw in ODD_JSON.items()]
    run.refused(f"{name}: refused input", must_refuse)
    run.tolerated(f"{name}: wrong types and U+FFFE", may_accept)


def search_cases(run):
    deep = "(" * 600 + "water" + ")" * 600
    wide = " OR ".join(f"w{i}" for i in range(3000))
    long_query = "water " * 2500
    values = dict(HOSTILE_STRINGS, deep=deep, wide=wide, long=long_query, syntax='"[* TO:\\')
    raw_values = {kind: "".join(f"%{byte:02X}" for byte in raw) for kind, raw in INVALID_UTF8.items()
                  if kind in ("overlong '/'", "UTF-8 encoded surrogate")}
    raw_values["NUL"] = "%00"
    surfaces = [
        ("/api/action/package_search", ["q", "fq", "sort", "rows", "start", "facet.field", "facet.limit"]),
        ("/api/search/dataset", ["q", "tags", "groups", "order_by", "limit", "offset", "qjson", "filter_by_openness"]),
        ("/api/2/search/dataset", ["q", "all_fields", "limit"]),
        ("/api/search/resource", ["url", "format", "q", "qjson"]),
        ("/api/2/search/revision", ["since_time", "since_id"]),
        ("/api/util/dataset/autocomplete", ["incomplete"]),
        ("/api/util/tag/autocomplete", ["incomplete"]),
        ("/api/util/user/autocomplete", ["q"]),
        ("/api/action/user_list", ["q", "order_by"]),
        ("/api/action/tag_list", ["query"]),
        ("/api/action/package_autocomplete", ["q"]),
        ("/api/action/resource_search", ["query", "fields"]),
        ("/api/action/term_translation_show", ["terms"]),
    ]
    for path, params in surfaces:
        cases = []
        for param in params:
            for kind, value in values.items():
                query = f"{quote(param)}={quote(value.encode('utf-8', 'surrogatepass'), safe='')}"
                cases.append((f"GET {path} {param} = {kind}", "GET", path, {"query": query}))
            for kind, escaped in raw_values.items():
                cases.append((f"GET {path} {param} = {kind}", "GET", path, {"query": f"{quote(param)}=a{escaped}b"}))
        run.reads(cases)
    # The same through POST bodies (the Action API's searches).
    bodies = [{"q": deep}, {"fq": wide}, {"q": long_query}, {"q": "\ud800"}, {"facet.field": [{"x": 1}]},
              {"rows": "many"}, {"start": -5}, {"sort": "\u0000"}, {"q": ["list"]}, {"fq": {"a": 1}}]
    run.reads([
        (f"package_search body {label_of(sorted(body))}", "POST", "/api/action/package_search", {"body": body})
        for body in bodies
    ])


def largest_cases(run, group):
    cap = int(os.environ.get("CKAN_MAX_LIST_ITEMS", "1000"))
    big = dict(full_dataset("hostile-largest", group),
               tags=[{"name": f"largest-{i}"} for i in range(cap)],
               resources=[{"url": f"http://example.com/{i}.csv", "format": "CSV"} for i in range(cap)],
               extras=[{"key": f"key-{i}", "value": f"value {i}"} for i in range(cap)])
    for field in ("tags", "resources", "extras"):
        over = dict(big, name=f"hostile-over-{field}")
        over[field] = big[field] + [dict(big[field][0], **({"name": "one-more"} if field == "tags" else {"key": "more"}
                                                            if field == "extras" else {}))]
        run.refused(f"package_create {field} over the cap", [
            (f"package_create {cap + 1} {field}", "POST", "/api/action/package_create", {"body": over}),
        ])
    too_large = dict(full_dataset("hostile-too-large", group), notes="n" * 3_000_000)
    run.refused("package_create body over the size limit", [
        ("package_create 3 MB body", "POST", "/api/action/package_create", {"body": too_large}),
        ("POST /api/rest/dataset 3 MB body", "POST", "/api/rest/dataset", {"body": too_large}),
    ])
    started = time.monotonic()
    accepted, answer = run.send(f"package_create of the largest allowed dataset ({cap} of each)", "POST",
                                "/api/action/package_create", body=big)
    seconds = time.monotonic() - started
    if accepted is False:
        run.fail("the largest allowed dataset", f"refused: {str(answer)[:300]}")
    print(f"the largest allowed dataset ({cap} tags, resources, extras) created in {seconds:.1f} s", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="comma-separated write actions (or 'search', 'largest', 'rest') "
                                                   "to run instead of everything")
    only = {name.strip() for name in parser.parse_args().only.split(",") if name.strip()}

    def wanted(part):
        return not only or part in only

    started = time.monotonic()
    server = Server()
    import django

    django.setup()
    run = Run(server)
    try:
        group = run.action("group_create", {"name": "hostile-group", "title": "Hostile group"})
        user = run.action("user_create", {"name": "hostile-user", "email": "h@example.com", "password": "pass1234"})
        first = run.action("package_create", full_dataset("hostile-first", group["name"]))
        second = run.action("package_create", {"name": "hostile-second"})
        bodies = write_bodies({"first": first, "second": second, "group": group, "user": user})

        from catalog.logic import registry

        writes = sorted(name for name in registry.action_names() if not registry.is_read_only(name))
        for name in filter(wanted, writes):
            if name not in bodies:
                run.fail(name, "a write action this suite has no body for: add one to write_bodies()")
                continue
            write_cases(run, name, bodies[name], twin=name in TWINS)
        # The Model API's own parsing of the same bodies.
        if wanted("rest"):
            write_cases(run, "POST /api/rest/dataset", bodies["package_create_rest"], ("POST", "/api/rest/dataset"))
            write_cases(run, "PUT /api/rest/dataset", bodies["package_update_rest"],
                        ("PUT", f"/api/rest/dataset/{first['name']}"), twin=True)
            write_cases(run, "POST /api/2/rest/group", bodies["group_create_rest"], ("POST", "/api/2/rest/group"),
                        twin=True)
        if wanted("search"):
            search_cases(run)
        if wanted("largest"):
            largest_cases(run, group["name"])
    finally:
        server.stop()
    log = server.log_path.read_text(errors="replace")
    shutil.rmtree(server.var_dir, ignore_errors=True)
    if "Traceback" in log:
        start = log.index("Traceback")
        run.fail("server log", "a traceback:\n" + log[max(0, start - 300):start + 3000])
    print(f"comparing tables took {FINGERPRINT_SECONDS[0]:.1f} s")
    print(f"{run.passed} passed, {len(run.failures)} failed in {time.monotonic() - started:.2f}s")
    return 1 if run.failures else 0


if __name__ == "__main__":
    sys.exit(main())
