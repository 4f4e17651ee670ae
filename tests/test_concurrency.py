"""Concurrent requests against a live gunicorn server on PostgreSQL, and the state they leave.

gunicorn serves the test's own PostgreSQL database with several workers
(threads too when the search engine is Solr, as in production), so the
requests below run as truly concurrent transactions: creates sharing new
tags and groups, updates of one dataset, a group edited while its datasets
change, a storm of ratings. Each request must get a clean answer (a 2xx, or
the JSON 409/503 the API documents for a conflict it could not resolve), and
afterwards the state must be what the successful requests add up to:
every tag and membership once, ratings counted exactly, and package_search
giving, for every dataset, exactly package_show's dict.

CI runs this on PostgreSQL + Whoosh (`make test` with DATABASE_URL) and on
PostgreSQL + Solr 9 (the `engine` run with SEARCH_URL).
"""
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.db import connection

from tests.conftest import needs
from tests.sites import ROOT, _free_port

pytestmark = [
    pytest.mark.postgres,
    needs("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL"),
    pytest.mark.engine,
    pytest.mark.live,
    # Not transactional: the server commits, the tests only read (see `server`).
    pytest.mark.django_db,
]

CLIENTS = 12  # concurrent client threads
RATERS = 16
WORKERS = 4


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    """gunicorn on the test database, with a sysadmin and ordinary users:
    (base URL, the sysadmin's key, server log path, {user name: API key}).

    One server for the module: its tests write only under names of their own
    and do not flush the database between them (a flush renumbers the content
    types the server processes have cached); the module flushes it at the end,
    as a transactional test would.
    """
    from django.core.management import call_command

    settings_dict = connection.settings_dict
    url = "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**settings_dict)
    port = _free_port()
    var_dir = tempfile.mkdtemp(prefix="ckansite-concurrency-")
    search_url = os.environ.get("SEARCH_URL", "")
    solr = search_url.startswith(("http://", "https://"))
    env = dict(os.environ, DATABASE_URL=url, CKAN_VAR_DIR=var_dir, SECRET_KEY="concurrency-" + os.urandom(8).hex(),
               SEARCH_URL=search_url if solr else os.path.join(var_dir, "index"), DEBUG="0",
               CKAN_SITE_URL=f"http://127.0.0.1:{port}")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    with django_db_blocker.unblock():
        from accounts.models import User

        admin = User.objects.create_user("concurrency-admin-" + os.urandom(3).hex(), password=None, sysadmin=True)
        # Ordinary users for the rating storm (API keys only: no password to hash).
        raters = [User.objects.create_user(f"concurrency-rater-{i}-" + os.urandom(3).hex(), password=None)
                  for i in range(RATERS)]
    log_path = Path(var_dir, "server.log")
    log = open(log_path, "wb")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "ckansite.wsgi:application", "--config", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--timeout", "120", "--no-control-socket"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if requests.get(base + "/api/util/status", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"gunicorn did not start: {log_path.read_text(errors='replace')}")
            time.sleep(0.2)
        yield base, admin.apikey, log_path, {user.name: user.apikey for user in raters}
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)
        log.close()
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)


class Api:
    """Action API calls over HTTP; every answer recorded, to check all were clean."""

    def __init__(self, base):
        self.base = base
        self.answers = []

    def call(self, key, action, body):
        response = requests.post(f"{self.base}/api/3/action/{action}", data=json.dumps(body),
                                 headers={"Authorization": key, "Content-Type": "application/json"}, timeout=120)
        self.answers.append((action, response.status_code, response.headers.get("Content-Type", ""),
                             response.text[:300]))
        return response

    def ok(self, key, action, body):
        response = self.call(key, action, body)
        answer = response.json()
        assert response.status_code == 200 and answer["success"], (action, body, response.text[:500])
        return answer["result"]

    def together(self, calls):
        """Run (key, action, body) calls at once; their responses, in order."""
        with ThreadPoolExecutor(CLIENTS) as pool:
            return list(pool.map(lambda args: self.call(*args), calls))

    def assert_all_clean(self, log_path):
        """Every answer a 2xx, or a documented JSON 409/503; no traceback in the server's log."""
        for action, status, content_type, text in self.answers:
            assert status == 200 or status in (409, 503), (action, status, text)
            assert content_type.startswith("application/json"), (action, status, text)
        assert "Traceback" not in log_path.read_text(errors="replace")


def _succeeded(response):
    return response.status_code == 200 and response.json().get("success") is True


def _search_equals_show(api, key, names, run_tag):
    """package_search (filtered to this run's tag) gives, per dataset, package_show's dict."""
    shown = {name: api.ok(key, "package_show", {"id": name}) for name in names}
    deadline = time.monotonic() + 15
    while True:
        found = api.ok(key, "package_search", {"fq": f"tags:{run_tag}", "rows": 1000})
        by_name = {result["name"]: result for result in found["results"]}
        if by_name == shown or time.monotonic() > deadline:
            break
        time.sleep(0.3)  # Solr makes a commit visible within its soft-commit interval
    assert sorted(by_name) == sorted(shown)
    for name in names:
        assert by_name[name] == shown[name], name


@pytest.fixture
def run_tag():
    return "run" + os.urandom(4).hex()


def test_creates_sharing_new_tags_and_groups(server, run_tag, django_db_blocker):
    base, key, log_path, _ = server
    api = Api(base)
    groups = [api.ok(key, "group_create", {"name": f"{run_tag}-g{i}"})["name"] for i in range(3)]
    shared_tags = [f"{run_tag} shared {i}" for i in range(4)]
    calls = []
    for i in range(24):
        calls.append((key, "package_create", {
            "name": f"{run_tag}-d{i}",
            "tags": [{"name": run_tag}] + [{"name": tag} for tag in shared_tags[: 1 + i % 4]],
            "groups": [{"name": group} for group in groups[: 1 + i % 3]],
        }))
    for i in range(6):  # new groups created while datasets join the existing ones
        calls.insert(i * 4, (key, "group_create", {"name": f"{run_tag}-late{i}"}))
    responses = api.together(calls)
    api.assert_all_clean(log_path)
    created = [body["name"] for (_, action, body), response in zip(calls, responses)
               if action == "package_create" and _succeeded(response)]
    assert len(created) == 24  # unique names: nothing to refuse, conflicts are retried

    with django_db_blocker.unblock():
        from catalog.models import Member, PackageTag, Tag

        for tag in shared_tags + [run_tag]:
            assert Tag.objects.filter(name=tag).count() == 1
        for i, tag in enumerate(shared_tags):
            expected = sum(1 for n in range(24) if i < 1 + n % 4)
            assert PackageTag.objects.filter(tag__name=tag, state="active").count() == expected
            assert len(api.ok(key, "tag_show", {"id": tag})["packages"]) == expected
        for i, group in enumerate(groups):
            members = api.ok(key, "group_show", {"id": group})["packages"]
            assert len(members) == sum(1 for n in range(24) if i < 1 + n % 3)
            assert Member.objects.filter(group__name=group, state="active").count() == len(members)
    for i in range(6):
        assert api.ok(key, "group_show", {"id": f"{run_tag}-late{i}"})["name"] == f"{run_tag}-late{i}"
    _search_equals_show(api, key, created, run_tag)


def test_concurrent_updates_of_one_dataset(server, run_tag):
    base, key, log_path, _ = server
    api = Api(base)
    name = f"{run_tag}-one"
    api.ok(key, "package_create", {"name": name, "tags": [{"name": run_tag}]})
    calls = []
    for i in range(10):
        calls.append((key, "package_patch", {"id": name, "notes": f"notes {i}", "version": str(i)}))
        calls.append((key, "resource_create", {"package_id": name, "url": f"http://example.org/{i}.csv"}))
        calls.append((key, "package_patch", {"id": name, "tags": [{"name": run_tag}, {"name": f"{run_tag} v{i}"}]}))
    responses = api.together(calls)
    api.assert_all_clean(log_path)
    added = sum(1 for (_, action, _), response in zip(calls, responses)
                if action == "resource_create" and _succeeded(response))
    assert added == 10

    dataset = api.ok(key, "package_show", {"id": name})
    urls = sorted(resource["url"] for resource in dataset["resources"])
    assert urls == sorted(f"http://example.org/{i}.csv" for i in range(10))
    assert sorted(resource["position"] for resource in dataset["resources"]) == list(range(10))
    # The last writer wins whole: notes and version come from one and the same patch.
    assert dataset["notes"] == f"notes {dataset['version']}"
    assert len(dataset["tags"]) == 2 and run_tag in {tag["name"] for tag in dataset["tags"]}
    _search_equals_show(api, key, [name], run_tag)


def test_concurrent_patches_of_one_resource_keep_every_field(server, run_tag):
    """resource_patch changes only the keys it is given, on the row as it is once locked:
    patches of different fields at once lose none of them (nor resource_update's)."""
    base, key, log_path, _ = server
    api = Api(base)
    name = f"{run_tag}-patched"
    dataset = api.ok(key, "package_create", {"name": name, "tags": [{"name": run_tag}],
                                             "resources": [{"url": "http://example.org/r.csv"}]})
    resource_id = dataset["resources"][0]["id"]
    fields = {f"x_{i}": f"value {i}" for i in range(8)}
    fields.update(name="patched name", description="patched description", format="CSV", mimetype="text/csv")
    calls = [(key, "resource_patch" if i % 2 else "resource_update", {"id": resource_id, field: value})
             for i, (field, value) in enumerate(fields.items())]
    responses = api.together(calls)
    api.assert_all_clean(log_path)
    assert all(_succeeded(response) for response in responses)
    shown = next(r for r in api.ok(key, "package_show", {"id": name})["resources"] if r["id"] == resource_id)
    assert {field: shown.get(field) for field in fields} == fields
    assert shown["url"] == "http://example.org/r.csv"
    _search_equals_show(api, key, [name], run_tag)


def test_group_edits_while_its_datasets_change(server, run_tag):
    base, key, log_path, _ = server
    api = Api(base)
    group = api.ok(key, "group_create", {"name": f"{run_tag}-group"})
    names = [api.ok(key, "package_create", {"name": f"{run_tag}-m{i}", "tags": [{"name": run_tag}],
                                            "groups": [{"name": group["name"]}]})["name"] for i in range(8)]
    calls = []
    for i in range(8):
        calls.append((key, "group_patch", {"id": group["name"], "title": f"Title {i}"}))
        calls.append((key, "package_patch", {"id": names[i], "title": f"Dataset {i}"}))
        if i % 2:
            # A group edit that drops one dataset and keeps the rest.
            calls.append((key, "group_patch", {"id": group["name"], "packages": [{"name": n} for n in names[1:]]}))
    responses = api.together(calls)
    api.assert_all_clean(log_path)
    assert all(_succeeded(response) for response in responses)

    shown_group = api.ok(key, "group_show", {"id": group["name"]})
    members = sorted(package["name"] for package in shown_group["packages"])
    assert members == sorted(names[1:])
    for name in names:
        dataset = api.ok(key, "package_show", {"id": name})
        in_group = [g for g in dataset["groups"] if g["name"] == group["name"]]
        assert bool(in_group) == (name in members), name
        if in_group:
            # The dataset's copy of the group shows the group's final title.
            assert in_group[0]["title"] == shown_group["title"], name
    _search_equals_show(api, key, names, run_tag)


def test_rating_storm(server, run_tag, django_db_blocker):
    base, key, log_path, rater_keys = server
    api = Api(base)
    name = f"{run_tag}-rated"
    api.ok(key, "package_create", {"name": name, "tags": [{"name": run_tag}]})
    raters = list(rater_keys.values())
    # Each user rates three times at once: one rating per user stays, the last one saved.
    calls = [(rater, "rating_create", {"package": name, "rating": 1 + (i + round_) % 5})
             for round_ in range(3) for i, rater in enumerate(raters)]
    responses = api.together(calls)
    api.assert_all_clean(log_path)
    assert all(_succeeded(response) for response in responses)

    with django_db_blocker.unblock():
        from catalog.models import Rating

        ratings = list(Rating.objects.filter(package__name=name).values_list("user__name", "rating"))
    assert sorted(user for user, _ in ratings) == sorted(rater_keys)
    dataset = api.ok(key, "package_show", {"id": name})
    assert dataset["ratings_count"] == len(raters)
    assert dataset["ratings_average"] == pytest.approx(sum(r for _, r in ratings) / len(raters))
    # The answer of the last rating to commit counted what the dataset now holds.
    assert max(response.json()["result"]["rating count"] for response in responses) == len(raters)
    _search_equals_show(api, key, [name], run_tag)
