"""What a dataset write costs, in-process: K package_create then K package_update of
benchmark-shaped datasets (../shared/bench/ckan_bench.py make_dataset) through Django's test
client, each committed and indexed as a request would be. Prints wall and CPU time and SQL
queries per call; with a prefix, also writes pyinstrument reports PREFIX-create.html/.txt.

    CKAN_VAR_DIR=/tmp/x [DATABASE_URL=...] [SEARCH_URL=...] [SOLR_PID=...] .venv/bin/python bench/profile_writes.py 60 [PREFIX]

Use a scratch database and index: it migrates, creates a sysadmin and adds datasets.
On PostgreSQL it also prints the CPU its server process spent per call, and with
SOLR_PID (the pid of a Solr of this host) Solr's: what a write costs is the sum.
"""
import os, sys, time, json, importlib.util
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ckansite.settings")
os.environ.setdefault("SECRET_KEY", "x")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")  # the test client's host
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
call_command("migrate", verbosity=0)
from accounts.models import User
spec = importlib.util.spec_from_file_location("cb", os.environ.get("CKAN_BENCH", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench", "ckan_bench.py")))
cb = importlib.util.module_from_spec(spec); spec.loader.exec_module(cb)
K = int(sys.argv[1]); prof = sys.argv[2] if len(sys.argv) > 2 else None
tag = str(int(time.time()))
u = User.objects.filter(name="prof-admin").first() or User.objects.create_user("prof-admin", "pw-123456", sysadmin=True)
c = Client(HTTP_AUTHORIZATION=u.apikey)
def post(action, body):
    r = c.post(f"/api/3/action/{action}", json.dumps(body), content_type="application/json")
    assert r.status_code == 200, r.content[:500]
    return r.json()["result"]
# warm up
post("package_create", cb.make_dataset("s", 0, f"warm-{tag}"))
def _proc_cpu(pid):
    """CPU seconds (user + system) of a process of this host, or None."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except (OSError, TypeError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
def _servers():
    """{name: pid} of the servers whose CPU a write also costs: this connection's PostgreSQL backend, Solr."""
    pids = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()"); pids["postgresql"] = cursor.fetchone()[0]
    if os.environ.get("SOLR_PID"):
        pids["solr"] = int(os.environ["SOLR_PID"])
    return pids
def run(name, items, fn):
    servers = _servers(); server_cpu0 = {k: _proc_cpu(pid) for k, pid in servers.items()}
    qs = []; cpu0 = time.process_time(); t0 = time.perf_counter()
    p = None
    if prof:
        from pyinstrument import Profiler; p = Profiler(interval=0.0005); p.start()
    out = []
    for it in items:
        with CaptureQueriesContext(connection) as cq:
            out.append(fn(it))
        qs.append(len(cq.captured_queries))
    if p:
        p.stop(); open(f"{prof}-{name}.html", "w").write(p.output_html()); open(f"{prof}-{name}.txt", "w").write(p.output_text(show_all=False))
    wall = time.perf_counter() - t0; cpu = time.process_time() - cpu0
    others = "".join(
        f" {k}-cpu/op={(_proc_cpu(pid) - server_cpu0[k]) / len(items) * 1000:.1f}ms"
        for k, pid in servers.items() if server_cpu0[k] is not None and _proc_cpu(pid) is not None
    )
    print(f"{name}: n={len(items)} wall/op={wall/len(items)*1000:.1f}ms cpu/op={cpu/len(items)*1000:.1f}ms queries/op={sum(qs)/len(qs):.1f} (min {min(qs)} max {max(qs)}){others}")
    return out
created = run("create", [cb.make_dataset("s", i, f"p{tag}-{i}") for i in range(1, K + 1)], lambda d: post("package_create", d))
def upd(pkg):
    pkg["notes"] += "\n\nupdated"; pkg["extras"] = [e for e in pkg["extras"] if e["key"] != "bench_run"] + [{"key": "bench_run", "value": tag}]
    return post("package_update", pkg)
run("update", created, upd)
