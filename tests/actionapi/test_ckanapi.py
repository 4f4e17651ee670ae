"""ckanapi, the current Python client, against a live server: the dataset lifecycle and its exceptions."""
import json
import os

import pytest
from ckanapi import NotAuthorized, NotFound, RemoteCKAN, ValidationError

# engine: CI runs these clients again on PostgreSQL + Solr 9.
pytestmark = [pytest.mark.live, pytest.mark.engine, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ckan(server):
    """ckanapi as an ordinary user, against gunicorn and against Django's live server (tests/actionapi/conftest.py)."""
    url, apikey = server
    with RemoteCKAN(url, apikey=apikey, user_agent="ckansite-tests") as remote:
        yield remote


def test_create_show_update_delete(ckan):
    created = ckan.action.package_create(name="via-ckanapi", title="Via ckanapi", tags=[{"name": "client"}],
                                         resources=[{"url": "http://example.com/data.csv", "format": "CSV"}])
    shown = ckan.action.package_show(id="via-ckanapi")
    assert (shown["id"], [t["name"] for t in shown["tags"]]) == (created["id"], ["client"])
    shown["title"] = "Updated through ckanapi"
    assert ckan.action.package_update(**shown)["title"] == "Updated through ckanapi"
    ckan.action.package_delete(id=created["id"])
    assert ckan.action.package_show(id=created["id"])["state"] == "deleted"


def test_error_envelopes_become_ckanapi_exceptions(ckan):
    with pytest.raises(NotFound):
        ckan.action.package_show(id="no-such-dataset")
    with pytest.raises(ValidationError) as info:
        ckan.action.package_create(name="Not A Valid Name")
    assert info.value.error_dict["name"]
    with RemoteCKAN(ckan.address, user_agent="ckansite-tests") as anonymous:
        with pytest.raises(NotAuthorized):
            anonymous.action.package_create(name="anonymous-write")


def test_search_with_facets_and_patch(ckan):
    # Fresh names and tags: a Solr core outlives the test database (CI runs this on Solr too).
    s = os.urandom(3).hex()
    a, b, water, rivers = f"facet-a-{s}", f"facet-b-{s}", f"water{s}", f"rivers{s}"
    for name, tags in ((a, [rivers, water]), (b, [water])):
        ckan.action.package_create(name=name, tags=[{"name": t} for t in tags],
                                   resources=[{"url": f"http://example.com/{name}.csv", "format": "CSV"}])
    found = ckan.action.package_search(q=f"tags:{water}", **{"facet.field": ["tags", "res_format"]}, rows=10)
    assert found["count"] == 2
    assert found["facets"]["tags"] == {water: 2, rivers: 1}
    assert found["facets"]["res_format"] == {"CSV": 2}
    patched = ckan.action.package_patch(id=a, title="Patched by ckanapi")
    assert patched["title"] == "Patched by ckanapi" and len(patched["resources"]) == 1
    assert [t["name"] for t in patched["tags"]] == [rivers, water]
    resource = ckan.action.resource_patch(id=patched["resources"][0]["id"], description="described")
    assert resource["description"] == "described"
    found = ckan.action.package_search(q="title:patched", fq=f"tags:{water}", rows=10)
    assert [r["name"] for r in found["results"]] == [a]
    # an anonymous ckanapi (no key) reads too
    with RemoteCKAN(ckan.address, user_agent="ckansite-tests") as anonymous:
        assert anonymous.action.package_show(id=a)["title"] == "Patched by ckanapi"


def test_the_ckanapi_command_line(ckan, tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    bin_dir = Path(sys.executable).parent
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    ckan.action.package_create(name="cli-dataset", title="From the CLI")

    def cli(*args):
        done = subprocess.run([str(bin_dir / "ckanapi"), *args, "-r", ckan.address, "-a", ckan.apikey],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert json.loads(cli("action", "package_show", "id=cli-dataset"))["title"] == "From the CLI"
    assert json.loads(cli("action", "package_patch", "id=cli-dataset", "title=Patched from the CLI"))["title"] == \
        "Patched from the CLI"
    cli("dump", "datasets", "cli-dataset", "-O", "one.jsonl")
    record = json.loads((tmp_path / "one.jsonl").read_text())
    assert record["title"] == "Patched from the CLI"
    record["title"] = "Loaded back"
    (tmp_path / "one.jsonl").write_text(json.dumps(record) + "\n")
    cli("load", "datasets", "-I", "one.jsonl")
    assert ckan.action.package_show(id="cli-dataset")["title"] == "Loaded back"
