"""Moving a catalog: `ckanapi dump` from one site and `ckanapi load` into another, as the README says.

Two gunicorn sites on fresh databases (tests/sites.py); the first gets the demo
catalog. After users, groups and datasets are loaded into the second, every
dataset's package_show and every group's group_show are the same on both,
except what no dump carries: revision ids, timestamps, ratings, and the ids of
rows shared or rebuilt by name (tags, extras, relationships).
"""
import os
import subprocess

import pytest
import requests

from tests.sites import BIN, Site

pytestmark = pytest.mark.live

# notes_rendered links to the site's own URL; the rest no dump carries.
IGNORED = {"notes_rendered", "revision_id", "revision_timestamp", "metadata_created", "metadata_modified", "created",
           "ratings_average", "ratings_count"}
REBUILT = {"tags", "extras", "relationships_as_subject", "relationships_as_object"}


def normalized(value, parent=None):
    if isinstance(value, dict):
        return {key: normalized(item, key) for key, item in value.items()
                if key not in IGNORED and not (parent in REBUILT and key == "id")}
    if isinstance(value, list):
        return [normalized(item, parent) for item in value]
    return value


def differences(moved, original, path=""):
    """Where two normalized dicts differ, as readable paths (for the failure message)."""
    if isinstance(original, dict) and isinstance(moved, dict):
        return [d for key in sorted(set(original) | set(moved))
                for d in differences(moved.get(key), original.get(key), f"{path}.{key}")]
    if isinstance(original, list) and isinstance(moved, list) and len(original) == len(moved):
        return [d for i, (m, o) in enumerate(zip(moved, original)) for d in differences(m, o, f"{path}[{i}]")]
    return [] if moved == original else [f"{path}: {moved!r} != {original!r}"]


def action(site, name, **data):
    resp = requests.post(f"{site.url}/api/action/{name}", json=data, headers={"Authorization": site.apikey}, timeout=60)
    body = resp.json()
    assert body["success"] is True, (name, data, body)
    return body["result"]


@pytest.fixture
def sites():
    started = []
    try:
        started.append(Site("source-admin"))
        started.append(Site("target-admin"))
        yield started
    finally:
        for site in started:
            site.stop()


def ckanapi(*args, cwd):
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    done = subprocess.run([str(BIN / "ckanapi"), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, (args, done.stdout[-3000:], [line for line in done.stderr.splitlines() if "Error" in line])
    return done


def test_dump_and_load_move_a_catalog(sites, tmp_path):
    source, target = sites
    source.manage("load_demo_data", "--count", "15")
    for thing in ("users", "groups", "datasets"):
        ckanapi("dump", thing, "--all", "-O", f"{thing}.jsonl", "-r", source.url, "-a", source.apikey, cwd=tmp_path)
    for thing in ("users", "groups", "datasets"):
        ckanapi("load", thing, "-I", f"{thing}.jsonl", "-r", target.url, "-a", target.apikey, cwd=tmp_path)

    names = action(source, "package_list")
    assert len(names) >= 15
    assert action(target, "package_list") == names
    for name in names:
        moved, original = normalized(action(target, "package_show", id=name)), normalized(action(source, "package_show", id=name))
        assert moved == original, (name, differences(moved, original))
    groups = action(source, "group_list")
    assert groups and action(target, "group_list") == groups
    for name in groups:
        assert normalized(action(target, "group_show", id=name)) == normalized(action(source, "group_show", id=name)), name
    # Users keep their ids and passwords.
    for user in action(source, "user_list"):
        if user["name"] in ("source-admin", "target-admin"):
            continue
        assert action(target, "user_show", id=user["name"])["id"] == user["id"]
    # Loading again changes nothing that shows.
    ckanapi("load", "datasets", "-I", "datasets.jsonl", "-r", target.url, "-a", target.apikey, cwd=tmp_path)
    first = names[0]
    assert normalized(action(target, "package_show", id=first)) == normalized(action(source, "package_show", id=first))
