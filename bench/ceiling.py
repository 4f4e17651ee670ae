"""The fastest any server could answer the bench's reads here: recorded bytes, replayed.

`make bench CEILING=1` (bench/run.sh) runs it after the real bench, in two steps:

    python bench/ceiling.py record URL KEYFILE OUT     # ask the live server what the bench asks
    gunicorn bench.ceiling:application ...             # answer the same URLs with those bytes

(`adopt-seed` copies the seeding figures into the reports of runs made with
--skip-seed, for `ckan_bench.py compare`.)

`record` sends, through ckan_bench.py's own client code, every read the bench's
phases send (package_show of each dataset package_list names, whatever the
bench's --prefix, the 20 package_search queries, package_list, tag_list) and keeps each answer's bytes under its path
and query string. The application then answers each of those requests with the
recorded bytes and nothing else: no Django, no database, no index. Served with
the same gunicorn settings and measured with the same client, it shows how many
requests a second the harness can measure on this machine at all: the client
(one Python process, its threads sharing one core) and the server share the
machine's two cores.
"""
import json
import os
import sys


def record(url, key_file, out):
    """Store the live server's answers to the bench's reads, one JSON line each."""
    sys.path.insert(0, os.environ.get("CKAN_BENCH_DIR", os.path.join(os.path.dirname(__file__), "../../shared/bench")))
    import ckan_bench

    with open(key_file) as f:
        api = ckan_bench.Api(url, f.read().strip(), 60)
    session = api.session()
    names = api.get(session, "package_list").json()["result"]
    requests = [("package_show", {"id": name}) for name in names]
    requests += [("package_search", params) for _, params in ckan_bench.search_queries()]
    requests += [("package_list", None), ("tag_list", None)]
    with open(out, "w") as f:
        for action, params in requests:
            response = api.get(session, action, params)
            if response.status_code != 200:
                raise SystemExit(f"{action} {params}: HTTP {response.status_code}")
            target = response.request.path_url
            f.write(json.dumps({"target": target, "body": response.content.decode("utf-8")}) + "\n")
    print(f"recorded {len(requests)} answers in {out}")


def adopt_seed(seed_report, *reports):
    """Copy the seeding figures of `seed_report` into reports made with --skip-seed,
    for `ckan_bench.py compare`, which reads them."""
    with open(seed_report) as f:
        seed = json.load(f)["seed"]
    for path in reports:
        with open(path) as f:
            report = json.load(f)
        report["seed"] = seed
        with open(path, "w") as f:
            json.dump(report, f, indent=2)


def _load(path):
    answers = {}
    with open(path) as f:
        for line in f:
            item = json.loads(line)
            answers[item["target"]] = item["body"].encode("utf-8")
    return answers


_answers = None
_NOT_RECORDED = b'{"success": false, "error": {"__type": "Not Found", "message": "not recorded"}}'


def application(environ, start_response):
    """Answer a recorded request with its recorded bytes; anything else with a JSON 404."""
    global _answers
    if _answers is None:
        _answers = _load(os.environ["CKAN_CEILING_RECORDING"])
    query = environ.get("QUERY_STRING")
    target = environ["PATH_INFO"] + ("?" + query if query else "")
    body = _answers.get(target)
    status = "200 OK" if body is not None else "404 Not Found"
    body = body if body is not None else _NOT_RECORDED
    start_response(status, [("Content-Type", "application/json;charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "record":
        record(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) >= 4 and sys.argv[1] == "adopt-seed":
        adopt_seed(*sys.argv[2:])
    else:
        raise SystemExit("usage: ceiling.py record URL KEYFILE OUT | ceiling.py adopt-seed SEED_REPORT REPORT...")
