"""Two app hosts writing at once, then checked through each host: nothing lost, copies agree.

Runs against the scale-out rig (`scripts/cluster.sh up`: two gunicorn hosts on
one PostgreSQL database and one SolrCloud collection) when CLUSTER_HOSTS names
its hosts and CLUSTER_APIKEY a sysadmin's key (`source var/cluster/env`).

Writes go through both hosts concurrently: updates of the same datasets (each
with a unique marker as its revision message and title), creates with
overlapping new tags into one group, and group retitles while the group's
datasets change. Afterwards, through each host:
- every request got a clean answer (2xx, or a JSON 409 conflict / 503);
- each successful update's marker is in its dataset's revision history exactly
  once, and the dataset's title is the marker of its newest revision (no write
  lost, none applied twice, the last one wins everywhere);
- every dataset's `package_search` result equals its `package_show`, and both
  hosts answer the same;
- the group lists exactly the datasets put in it.
"""
import itertools
import os
import random
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.conftest import needs

HOSTS = os.environ.get("CLUSTER_HOSTS", "").split()
APIKEY = os.environ.get("CLUSTER_APIKEY", "")

pytestmark = [
    pytest.mark.cluster,
    needs("scale-out rig", len(HOSTS) >= 2 and APIKEY,
          "CLUSTER_HOSTS/CLUSTER_APIKEY are not set (scripts/cluster.sh up writes them to var/cluster/env)"),
]

THREADS = 8
DATASETS = 6
UPDATES = 48
CREATES = 12
RETITLES = 8


def action(host, action_name, /, **data):
    """POST an action as the sysadmin; returns (status, body). The body must be JSON whatever the status."""
    response = requests.post(f"{host}/api/3/action/{action_name}", json=data, headers={"X-CKAN-API-Key": APIKEY},
                             timeout=60)
    assert response.headers.get("Content-Type", "").startswith("application/json"), (
        f"{action_name} via {host}: {response.status_code} not JSON: {response.text[:300]}")
    return response.status_code, response.json()


def ok(host, action_name, /, **data):
    status, body = action(host, action_name, **data)
    assert status == 200 and body["success"], (action_name, host, status, body)
    return body["result"]


def clean(status, body):
    """A clean answer: success, or a JSON conflict / service-unavailable the client may retry."""
    return (status == 200 and body["success"]) or status in (409, 503)


@pytest.fixture
def run_id():
    return "x" + os.urandom(4).hex()


def test_concurrent_writes_through_two_hosts_agree_everywhere(run_id):
    host_cycle = itertools.cycle(HOSTS)
    group = ok(next(host_cycle), "group_create", name=f"{run_id}-group", title="Cluster group")
    names = [f"{run_id}-ds{i}" for i in range(DATASETS)]
    for name in names:
        ok(next(host_cycle), "package_create", name=name, title="start", tags=[{"name": f"{run_id}-seed"}])

    rng = random.Random(run_id)
    jobs = (
        [("update", i) for i in range(UPDATES)]
        + [("create", i) for i in range(CREATES)]
        + [("retitle", i) for i in range(RETITLES)]
    )
    rng.shuffle(jobs)

    def work(job):
        kind, i = job
        host = HOSTS[i % len(HOSTS)]
        if kind == "update":
            name = names[i % DATASETS]
            marker = f"{run_id}-update-{i}"
            status, body = action(host, "package_patch", id=name, title=marker, log_message=marker,
                                  tags=[{"name": f"{run_id}-shared-{i % 3}"}, {"name": f"{run_id}-u{i}"}])
            return kind, name, marker, status, body
        if kind == "create":
            name = f"{run_id}-new{i}"
            status, body = action(host, "package_create", name=name, title=name,
                                  tags=[{"name": f"{run_id}-shared-{i % 3}"}, {"name": f"{run_id}-fresh-{i % 2}"}],
                                  groups=[{"name": group["name"]}])
            return kind, name, None, status, body
        marker = f"{run_id}-retitle-{i}"
        status, body = action(host, "group_patch", id=group["id"], title=marker)
        return kind, group["name"], marker, status, body

    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(work, jobs))

    unclean = [(kind, name, status, body) for kind, name, _, status, body in outcomes if not clean(status, body)]
    assert not unclean, f"requests without a clean answer: {unclean[:5]}"
    succeeded = [(kind, name, marker) for kind, name, marker, status, body in outcomes if status == 200]
    assert len(succeeded) >= len(jobs) * 0.9, "most writes should succeed (a 409/503 is the exception)"

    created = sorted(name for kind, name, _ in succeeded if kind == "create")
    updates = {}
    for kind, name, marker in succeeded:
        if kind == "update":
            updates.setdefault(name, []).append(marker)

    for host in HOSTS:
        for name in names:
            messages = [rev["message"] for rev in ok(host, "package_revision_list", id=name)]
            for marker in updates.get(name, []):
                assert messages.count(marker) == 1, f"{marker} is in {name}'s history {messages.count(marker)} times"
            shown = ok(host, "package_show", id=name)
            newest_update = next((m for m in messages if m.startswith(f"{run_id}-update-")), "start")
            assert shown["title"] == newest_update, f"{name} via {host}: title is not its newest revision's"

        everything = names + created
        shown_by_name = {}
        for name in everything:
            shown = ok(host, "package_show", id=name)
            found = ok(host, "package_search", q=f'name:"{name}"', rows=5)["results"]
            assert found == [shown], f"{name} via {host}: package_search differs from package_show"
            shown_by_name[name] = shown
        if host == HOSTS[0]:
            first = shown_by_name
        else:
            assert shown_by_name == first, "the hosts answer differently"

        members = sorted(p["name"] for p in ok(host, "group_show", id=group["id"])["packages"])
        assert members == created
        retitles = [m for kind, _, m in succeeded if kind == "retitle"]
        assert ok(host, "group_show", id=group["id"])["title"] in retitles
        assert ok(host, "package_search", fq=f'groups:"{group["name"]}"', rows=0)["count"] == len(created)
