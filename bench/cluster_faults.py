"""Faults under write load on the scale-out rig: what fails, what is lost, how long recovery takes.

Needs the rig up (`scripts/cluster.sh up`, which writes var/cluster/env). For
each fault, writer threads send a bounded load through both app hosts
(dataset updates with a unique marker as title and revision message, and
creates) while the fault is injected and repaired:

- solr: stop Solr node 1 (host 1's first node), start it again 8 s later;
- pg:   restart PostgreSQL (`pg_ctlcluster ... restart`);
- host: SIGKILL app host 2 (master and workers), start it again 6 s later.

Then it reports, per fault: requests that failed and how (status, JSON or
not; "refused" = no server listening, which a load balancer routes around, or
the connection cut while the request was in flight: that write may or may not
have been applied, as with any crash),
writes lost (a 200 whose marker is not in its dataset's revision history
exactly once, or a created dataset that is missing), writes applied although
answered with an error (allowed for a 503, but counted), the recovery time
(from the repair, or the restart for pg, to the last failed request) and how
long until every dataset's `package_search` result equals its `package_show`
on both hosts after the load stops (no manual reindex_pending: the retry
timer of searchapi.pending_retry and later writes do it).

    scripts/cluster.sh up
    .venv/bin/python bench/cluster_faults.py [--faults solr,pg,host] [--seconds 24] [--threads 4]
"""
import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
CLUSTER = [str(ROOT / "scripts" / "cluster.sh")]
INJECT_AT = 4.0


def read_env(path):
    values = {}
    for line in Path(path).read_text().splitlines():
        key, _, value = line.partition("=")
        values[key] = value.strip().strip('"')
    return values


class Rig:
    def __init__(self, env):
        self.hosts = env["CLUSTER_HOSTS"].split()
        self.key = env["CLUSTER_APIKEY"]
        self.local = threading.local()

    def session(self):
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
        return self.local.session

    def post(self, host, action, data, timeout=30):
        """(status, json body or None, how it failed or None)."""
        try:
            response = self.session().post(f"{host}/api/3/action/{action}", json=data, timeout=timeout,
                                           headers={"X-CKAN-API-Key": self.key})
        except requests.ConnectionError:
            return None, None, "refused"
        except requests.Timeout:
            return None, None, "timeout"
        if not response.headers.get("Content-Type", "").startswith("application/json"):
            return response.status_code, None, f"{response.status_code} not JSON"
        body = response.json()
        if response.status_code == 200 and body.get("success"):
            return 200, body, None
        error_type = (body.get("error") or {}).get("__type", "error")
        return response.status_code, body, f"{response.status_code} JSON {error_type}"

    def ok(self, host, action, **data):
        for _ in range(60):
            status, body, failure = self.post(host, action, data)
            if failure is None:
                return body["result"]
            time.sleep(0.5)
        raise RuntimeError(f"{action} via {host}: {failure} {body}")


def fault_steps(fault):
    """[(seconds after the start, command, is the repair)] for a fault."""
    if fault == "solr":
        return [(INJECT_AT, ["solr", "stop", "1"], False), (INJECT_AT + 8, ["solr", "start", "1"], True)]
    if fault == "pg":
        return [(INJECT_AT, ["pg", "restart"], True)]
    if fault == "host":
        return [(INJECT_AT, ["host", "kill", "2"], False), (INJECT_AT + 6, ["host", "start", "2"], True)]
    raise SystemExit(f"unknown fault {fault}")


def run_fault(rig, fault, seconds, threads):
    run = f"f{fault}{os.urandom(3).hex()}"
    names = [f"{run}-{i}" for i in range(8)]
    for i, name in enumerate(names):
        rig.ok(rig.hosts[i % 2], "package_create", name=name, title="start", tags=[{"name": run}])

    outcomes = []  # (t, host index, kind, name, marker, failure)
    lock = threading.Lock()
    stop = threading.Event()
    start = time.monotonic()

    def writer(w):
        rng = random.Random(f"{run}-{w}")
        n = 0
        while not stop.is_set():
            n += 1
            h = (w + n) % 2
            if rng.random() < 0.8:
                name = rng.choice(names)
                marker = f"{run}-w{w}-{n}"
                data = {"id": name, "title": marker, "log_message": marker}
                kind, action = "update", "package_patch"
            else:
                name = marker = f"{run}-new-w{w}-{n}"
                data = {"name": name, "title": name, "tags": [{"name": run}, {"name": f"{run}-{n % 3}"}]}
                kind, action = "create", "package_create"
            status, body, failure = rig.post(rig.hosts[h], action, data)
            with lock:
                outcomes.append((time.monotonic() - start, h, kind, name, marker, failure))
            if failure == "refused":
                time.sleep(0.05)

    workers = [threading.Thread(target=writer, args=(w,)) for w in range(threads)]
    for t in workers:
        t.start()
    repaired_at = None
    for at, command, is_repair in fault_steps(fault):
        time.sleep(max(0.0, at - (time.monotonic() - start)))
        began = time.monotonic() - start
        subprocess.run(CLUSTER + command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if is_repair:
            repaired_at = time.monotonic() - start if command[0] != "pg" else began
    time.sleep(max(0.0, seconds - (time.monotonic() - start)))
    stop.set()
    for t in workers:
        t.join()
    load_end = time.monotonic()

    # What the database holds: each dataset's revision messages, through host 1.
    failures = Counter(f for *_, f in outcomes if f)
    lost, applied_anyway = [], []
    histories = {}
    for _, _, kind, name, marker, failure in outcomes:
        if kind == "update":
            if name not in histories:
                histories[name] = Counter(r["message"] for r in rig.ok(rig.hosts[0], "package_revision_list", id=name))
            seen = histories[name][marker]
            if failure is None and seen != 1:
                lost.append((marker, seen))
            elif failure is not None and failure != "refused" and seen:
                applied_anyway.append((marker, failure))
        else:
            exists = rig.post(rig.hosts[0], "package_show", {"id": name})[2] is None
            if failure is None and not exists:
                lost.append((name, 0))
            elif failure is not None and failure != "refused" and exists:
                applied_anyway.append((name, failure))

    every = sorted({name for _, _, kind, name, _, failure in outcomes if failure is None} | set(names))
    converged_after, first_disagreement = None, None
    for _ in range(240):
        checked_at = time.monotonic()  # a pass that finds no difference: search agreed by then
        differ = next(((host, name) for host in rig.hosts for name in every if not agree(rig, host, name)), None)
        if differ is None:
            converged_after = checked_at - load_end
            break
        first_disagreement = first_disagreement or differ
        time.sleep(1)

    failed_times = [t for t, *_, f in outcomes if f and f != "refused"]
    return {
        "fault": fault,
        "requests": len(outcomes),
        "ok": sum(1 for *_, f in outcomes if f is None),
        "failures": dict(failures),
        "lost": len(lost),
        "lost_examples": lost[:5],
        "applied_though_failed": len(applied_anyway),
        "applied_examples": applied_anyway[:5],
        "first_failure": round(min(failed_times) - INJECT_AT, 1) if failed_times else None,
        "recovered_after_repair": round(max(0.0, max(failed_times) - repaired_at), 1) if failed_times else 0.0,
        "search_converged_after_load": None if converged_after is None else round(converged_after, 1),
        "datasets_checked": len(every),
        "first_disagreement": first_disagreement,
    }


def agree(rig, host, name):
    _, shown, failure = rig.post(host, "package_show", {"id": name})
    _, found, failure2 = rig.post(host, "package_search", {"q": f'name:"{name}"', "rows": 5})
    if failure or failure2:
        return False
    return found["result"]["results"] == [shown["result"]]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--env", default=str(ROOT / "var" / "cluster" / "env"))
    parser.add_argument("--faults", default="solr,pg,host")
    parser.add_argument("--seconds", type=float, default=24.0)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    rig = Rig(read_env(args.env))
    results = []
    for fault in args.faults.split(","):
        result = run_fault(rig, fault, args.seconds, args.threads)
        print(json.dumps(result), flush=True)
        results.append(result)
    print()
    print("| fault | requests (ok) | failed, by answer | writes lost | applied though failed | recovery after repair "
          "| search agrees after load |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        failed = ", ".join(f"{n} {kind}" for kind, n in sorted(r["failures"].items())) or "none"
        converged = "never (240 s)" if r["search_converged_after_load"] is None else f"{r['search_converged_after_load']} s"
        print(f"| {r['fault']} | {r['requests']} ({r['ok']}) | {failed} | {r['lost']} | {r['applied_though_failed']} "
              f"| {r['recovered_after_repair']} s | {converged} |")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 1 if any(r["lost"] or r["search_converged_after_load"] is None for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
