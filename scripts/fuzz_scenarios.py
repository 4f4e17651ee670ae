"""The parts of `make fuzz` around schemathesis (scripts/fuzz.sh runs them in this order).

    fuzz_scenarios.py pool URL SYSADMIN_NAME SYSADMIN_KEY POOL_FILE
        makes an ordinary user ("user"), a second one ("other") and a pool of
        datasets, groups, resources and revisions for the fuzzer's hooks
        (scripts/fuzz_hooks.py) to name, and writes their names and keys to POOL_FILE;
    fuzz_scenarios.py scenarios URL POOL_FILE
        runs tests/api_scenarios.py against the server: every write action to
        success as the sysadmin and as the ordinary user, and the refusals, each
        answer checked against /api/openapi.json by schemathesis;
    fuzz_scenarios.py summary ACCESS_LOG
        counts, from the server's access log (role, method, path, status), the
        2xx and 403 answers of each write action per role, prints the table, and
        fails if a write action never succeeded for a role that may run it.

The server runs with CKAN_ACTION_API_STATUS_CODES on, so an Action API
error has its own status and every 2xx in the log is a success.
"""
import json
import os
import re
import sys
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.api_scenarios import SYSADMIN_ONLY, WRITE_ACTIONS, ApiScenario, ScenarioFailure  # noqa: E402

ROLES = ("sysadmin", "user", "anonymous")


def _post(url, key, action, body):
    headers = {"Content-Type": "application/json", "X-Fuzz-Role": "setup"}
    if key:
        headers["Authorization"] = key
    response = requests.post(f"{url}/api/3/action/{action}", data=json.dumps(body), headers=headers, timeout=60)
    answer = response.json()
    if not answer.get("success"):
        raise SystemExit(f"setup: {action} failed: {response.status_code} {response.text[:500]}")
    return answer["result"]


def make_pool(url, sysadmin_name, sysadmin_key, pool_file):
    tag = os.urandom(3).hex()
    keys, names = {"sysadmin": sysadmin_key}, {"sysadmin": sysadmin_name}
    for role in ("user", "other"):
        name = f"fuzz-{role}-{tag}"
        _post(url, sysadmin_key, "user_create", {"name": name, "email": f"{name}@example.org", "password": "fuzz-1234"})
        keys[role] = _post(url, sysadmin_key, "user_show", {"id": name})["apikey"]
        names[role] = name
    refs = {"dataset": [], "group": [], "resource": [], "user": list(names.values()), "tag": [], "revision": []}
    for owner in ("sysadmin", "user"):
        for i in range(6):
            group = _post(url, keys[owner], "group_create", {"name": f"pool-group-{owner}-{i}-{tag}"})
            refs["group"].append(group["name"] if i % 2 else group["id"])
            dataset = _post(url, keys[owner], "package_create", {
                "name": f"pool-{owner}-{i}-{tag}", "tags": [{"name": f"pool tag {i % 3}"}],
                "groups": [{"name": group["name"]}],
                "resources": [{"url": f"http://example.org/{i}.csv", "format": "CSV"}],
            })
            refs["dataset"].append(dataset["name"] if i % 2 else dataset["id"])
            refs["resource"].append(dataset["resources"][0]["id"])
    refs["tag"] = [f"pool tag {i}" for i in range(3)]
    refs["revision"] = _post(url, sysadmin_key, "revision_list", {})[:10]
    pool = {"keys": keys, "names": names, "refs": refs,
            "relationship_types": ["depends_on", "dependency_of", "derives_from", "has_derivation",
                                   "child_of", "parent_of", "links_to", "linked_from"]}
    Path(pool_file).write_text(json.dumps(pool))
    print(f"pool: {sum(len(v) for v in refs.values())} objects; users {names['user']}, {names['other']}")


def run_scenarios(url, pool_file):
    import schemathesis
    from schemathesis.core.transport import Response

    pool = json.loads(Path(pool_file).read_text())
    schema = schemathesis.openapi.from_url(f"{url}/api/openapi.json")
    templates = list(schema.raw_schema["paths"])
    session = requests.Session()

    def template_of(path):
        parts = path.strip("/").split("/")
        matches = []
        for template in templates:
            pieces = template.strip("/").split("/")
            if len(pieces) == len(parts) and all(p == q or p.startswith("{") for p, q in zip(pieces, parts)):
                matches.append((sum(p.startswith("{") for p in pieces), template))
        return min(matches)[1]

    def send(role, method, path, body=None):
        headers = {"Authorization": pool["keys"][role], "X-Fuzz-Role": role, "Content-Type": "application/json"}
        response = session.request(method, url + path, data=json.dumps(body) if body is not None else None,
                                   headers=headers, timeout=120)
        schema[template_of(path)][method].validate_response(Response.from_requests(response, verify=True))
        return response.status_code, response.json()

    scenario = ApiScenario(send)
    try:
        calls = scenario.run(pool["names"]["sysadmin"], pool["names"]["user"], pool["names"]["other"])
    except ScenarioFailure as exc:
        raise SystemExit(f"scenario failed: {exc}") from None
    print(f"scenarios: {len(calls)} calls, every answer as expected and matching its schema")


# ---------------------------------------------------------------- the access log

# The Model API routes that run a write action: (method, path pattern, action).
_DATASET = r"/api(?:/[12])?/rest/(?:dataset|package)"
REST_WRITES = [
    ("POST", rf"{_DATASET}$", "package_create_rest"),
    ("PUT|POST", rf"{_DATASET}/[^/]+$", "package_update_rest"),
    ("DELETE", rf"{_DATASET}/[^/]+$", "package_delete"),
    ("POST", r"/api(?:/[12])?/rest/group$", "group_create_rest"),
    ("PUT|POST", r"/api(?:/[12])?/rest/group/[^/]+$", "group_update_rest"),
    ("DELETE", r"/api(?:/[12])?/rest/group/[^/]+$", "group_delete"),
    ("POST", r"/api(?:/[12])?/rest/rating$", "rating_create"),
    ("POST", rf"{_DATASET}/[^/]+/(?:relationships(?:/[^/]+)?|[^/]+(?:/[^/]+)?)$", "package_relationship_create"),
    ("PUT", rf"{_DATASET}/[^/]+/[^/]+/[^/]+$", "package_relationship_update"),
    ("DELETE", rf"{_DATASET}/[^/]+/[^/]+/[^/]+$", "package_relationship_delete"),
]
ACTION_PATH = re.compile(r"/api(?:/3)?/action/(\w+)$")


def action_of(method, path):
    match = ACTION_PATH.match(path)
    if match:
        return match.group(1) if match.group(1) in WRITE_ACTIONS else None
    for methods, pattern, action in REST_WRITES:
        if re.fullmatch(methods, method) and re.match(pattern, path):
            return action
    return None


def summarize(access_log):
    """Prints 2xx/403/other per write action and role; the failures: write actions never seen succeeding."""
    counts = {}
    server_errors = 0
    for line in Path(access_log).read_text(errors="replace").splitlines():
        parts = line.split()
        if len(parts) != 4 or not parts[3].isdigit():
            continue
        role, method, path, status = parts[0], parts[1], parts[2], int(parts[3])
        server_errors += status >= 500
        action = action_of(method, path)
        if action is None or role not in ("sysadmin", "user", "other", "anonymous"):
            continue
        role = "user" if role == "other" else role
        row = counts.setdefault(action, {r: [0, 0, 0] for r in ROLES})
        row[role][0 if 200 <= status < 300 else 1 if status == 403 else 2] += 1
    print(f"\n{'write action':36}" + "".join(f"{role + ' 2xx/403/other':>26}" for role in ROLES))
    missing = []
    for action in WRITE_ACTIONS:
        row = counts.get(action, {r: [0, 0, 0] for r in ROLES})
        print(f"{action:36}" + "".join(f"{'/'.join(map(str, row[role])):>26}" for role in ROLES))
        if not row["sysadmin"][0]:
            missing.append(f"{action} never succeeded as the sysadmin")
        if action not in SYSADMIN_ONLY and not row["user"][0]:
            missing.append(f"{action} never succeeded as an ordinary user")
        if action in SYSADMIN_ONLY and not row["user"][1]:
            missing.append(f"{action} never refused an ordinary user")
    print(f"{server_errors} answers of 5xx in the access log")
    for message in missing:
        print("MISSING:", message, file=sys.stderr)
    return 1 if missing or server_errors else 0


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "pool":
        make_pool(*args)
    elif command == "scenarios":
        run_scenarios(*args)
    elif command == "summary":
        sys.exit(summarize(*args))
    else:
        raise SystemExit(__doc__)
