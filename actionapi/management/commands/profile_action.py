"""Profile one Action API call: N requests through Django's test client under pyinstrument.

    python manage.py profile_action package_show '{"id": "bench-000001"}' -n 200
    make profile OP=package_search ARGS='{"q": "water"}'

Runs against the configured database and index (CKAN_VAR_DIR / DATABASE_URL /
SEARCH_URL), as GET /api/3/action/<name> (POST for actions that write), with
the API key of `--user` (default: the first sysadmin) in the Authorization
header, so the whole request is measured: middleware, the key lookup, the
action, JSON encoding. Writes the HTML report under var/profile/ (or --out)
and prints per-call wall and CPU time and the SQL queries of one call.
"""
import json
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

from accounts.models import User
from catalog.logic import registry


class Command(BaseCommand):
    help = "Profile N calls of one Action API action under pyinstrument; writes an HTML report."

    def add_arguments(self, parser):
        parser.add_argument("action")
        parser.add_argument("data", nargs="?", default="{}", help="the data_dict, as JSON")
        parser.add_argument("-n", type=int, default=100, help="calls to profile (default 100)")
        parser.add_argument("--user", default="", help="the user whose API key is sent (default: a sysadmin)")
        parser.add_argument("--anonymous", action="store_true", help="send no API key")
        parser.add_argument("--text", action="store_true", help="also print the call tree as text")
        parser.add_argument("--out", default="", help="HTML report path (default var/profile/<action>-<time>.html)")

    def handle(self, *args, **options):
        from pyinstrument import Profiler

        name = options["action"]
        if name not in registry.action_names():
            raise CommandError(f"Unknown action {name}")
        try:
            data = json.loads(options["data"])
        except ValueError as exc:
            raise CommandError(f"data is not JSON: {exc}") from exc
        headers = {}
        if not options["anonymous"]:
            users = User.objects.filter(name=options["user"]) if options["user"] else User.objects.filter(sysadmin=True)
            user = users.order_by("created").first()
            if user is None:
                raise CommandError("No such user (create one with create_sysadmin, or pass --anonymous)")
            headers["HTTP_AUTHORIZATION"] = user.apikey
        # As a request to the site itself: ALLOWED_HOSTS holds the site URL's host, not "testserver".
        client = Client(HTTP_HOST=urlsplit(settings.CKAN_SITE_URL).netloc)
        if registry.is_read_only(name):
            query = urlencode({k: json.dumps(v) if not isinstance(v, str) else v for k, v in data.items()})

            def call():
                return client.get(f"/api/3/action/{name}?{query}", **headers)
        else:
            body = json.dumps(data)

            def call():
                return client.post(f"/api/3/action/{name}", body, content_type="application/json", **headers)

        response = call()  # warm-up: imports, caches, connection
        if response.status_code != 200 or not json.loads(response.content).get("success"):
            raise CommandError(f"{name} failed: {response.status_code} {response.content[:500]!r}")
        queries = []

        def record(execute, sql, params, many, context):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append((time.perf_counter() - start, sql))

        with connection.execute_wrapper(record):
            call()
        n = max(1, options["n"])
        profiler = Profiler(interval=0.0005)
        wall, cpu = time.perf_counter(), time.process_time()
        profiler.start()
        for _ in range(n):
            call()
        profiler.stop()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        out = Path(options["out"] or Path(settings.BASE_DIR) / "var" / "profile" / f"{name}-{time.strftime('%Y%m%dT%H%M%S')}.html")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(profiler.output_html())
        if options["text"]:
            self.stdout.write(profiler.output_text(show_all=False))
        self.stdout.write(f"{len(queries)} SQL queries per call:")
        for seconds, sql in queries:
            self.stdout.write(f"  {1000 * seconds:.2f} ms  {sql[:300]}")
        self.stdout.write(
            f"{name} x{n}: {1000 * wall / n:.2f} ms/call wall, {1000 * cpu / n:.2f} ms/call CPU; "
            f"{len(response.content)} bytes\nprofile: {out}"
        )
