"""ckanclient 0.10 (CKAN 1.6's Python client) against a live server, request for request.

Its requests, recreated from its source: every request carries the key in
both `Authorization` and `X-CKAN-API-Key`, the string `None` when it has no
key; bodies are the URL-encoded JSON text as the only form key with value 1;
PUT and DELETE are real HTTP methods; `api_version_get()` reads the base
location; `package_search` is a GET of the Search API with the old
parameters.
"""
import json
from urllib.parse import quote, urlencode

import pytest
import requests

from tests.searchapi.conftest import unique_word

# engine: CI runs these clients again on PostgreSQL + Solr 9.
pytestmark = [pytest.mark.live, pytest.mark.engine, pytest.mark.django_db(transaction=True)]

FORM = "application/x-www-form-urlencoded"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class CkanClient010:
    """What ckanclient.CkanClient(base_location, api_key) put on the wire."""

    def __init__(self, base_location, api_key=None):
        self.base_location = base_location.rstrip("/")
        self.api_key = api_key
        self.last_status = None
        self.last_message = None

    def open_url(self, location, data=None, method=None):
        headers = {"Authorization": str(self.api_key), "X-CKAN-API-Key": str(self.api_key),
                   "User-Agent": "ckanclient/0.10"}
        body = None
        if data is not None:
            body = urlencode({json.dumps(data): 1})
            headers["Content-Type"] = FORM
        method = method or ("POST" if data is not None else "GET")
        resp = requests.request(method, location, data=body, headers=headers, timeout=30)
        self.last_status = resp.status_code
        self.last_message = resp.json() if resp.content else None
        return resp

    def rest(self, *path):
        return self.base_location + "/rest/" + "/".join(quote(p, safe="") for p in path)

    def api_version_get(self):
        self.open_url(self.base_location)
        return self.last_message["version"]

    def package_register_get(self):
        self.open_url(self.rest("package"))
        return self.last_message

    def package_register_post(self, package_dict):
        self.open_url(self.rest("package"), package_dict)
        return self.last_message

    def package_entity_get(self, ref):
        self.open_url(self.rest("package", ref))
        return self.last_message

    def package_entity_put(self, package_dict, ref):
        self.open_url(self.rest("package", ref), package_dict, method="PUT")
        return self.last_message

    def package_entity_delete(self, ref):
        self.open_url(self.rest("package", ref), method="DELETE")
        return self.last_message

    def group_register_post(self, group_dict):
        self.open_url(self.rest("group"), group_dict)
        return self.last_message

    def group_entity_get(self, ref):
        self.open_url(self.rest("group", ref))
        return self.last_message

    def group_entity_put(self, group_dict, ref):
        self.open_url(self.rest("group", ref), group_dict, method="PUT")
        return self.last_message

    def tag_register_get(self):
        self.open_url(self.rest("tag"))
        return self.last_message

    def package_search(self, q, search_options=None):
        params = dict(search_options or {}, q=q)
        self.open_url(self.base_location + "/search/package?" + urlencode(params))
        return self.last_message


@pytest.mark.parametrize("version", [1, 2])
def test_ckanclient_session(server, version):
    url, apikey = server
    base = f"{url}/api" if version == 1 else f"{url}/api/2"
    anonymous = CkanClient010(base)  # api_key None: sends the string "None"
    client = CkanClient010(base, apikey)

    assert anonymous.api_version_get() == version
    assert anonymous.package_register_get() == []

    # The search index may be shared (one Solr core for every test worker): words unique to this run.
    wire, legacy = unique_word("wire"), unique_word("legacy")
    name = f"{wire}-v{version}"
    created = client.package_register_post({
        "name": name, "title": "Over the wire", "tags": [wire, legacy], "extras": {"era": "1.6"},
        "resources": [{"url": "http://example.com/wire.csv", "format": "CSV"}],
    })
    assert client.last_status == 201, created
    ref = name if version == 1 else created["id"]
    assert anonymous.package_register_get() == [ref]
    shown = anonymous.package_entity_get(ref)
    assert (shown["name"], sorted(shown["tags"]), shown["extras"]) == (name, sorted([legacy, wire]), {"era": "1.6"})

    shown["title"] = "Changed over the wire"
    client.package_entity_put(shown, ref)
    assert client.last_status == 200
    assert anonymous.package_entity_get(ref)["title"] == "Changed over the wire"

    group = client.group_register_post({"name": f"{wire}-group", "title": "Wire", "packages": [ref]})
    assert client.last_status == 201, group
    group_ref = f"{wire}-group" if version == 1 else group["id"]
    assert anonymous.group_entity_get(group_ref)["packages"] == [ref]
    client.group_entity_put({"title": "Wire group"}, group_ref)
    assert anonymous.group_entity_get(group_ref)["title"] == "Wire group"

    assert wire in anonymous.tag_register_get()

    found = anonymous.package_search(wire, {"limit": 5, "offset": 0, "all_fields": 1})
    assert anonymous.last_status == 200 and found["count"] == 1
    assert found["results"][0]["name"] == name
    found = anonymous.package_search("", {"tags": legacy, "order_by": "name"})
    assert found["results"] == [ref]

    # anonymous writes are refused, with or without the None key, and change nothing
    anonymous.package_entity_put({"title": "vandal"}, ref)
    assert anonymous.last_status == 403
    anonymous.package_entity_delete(ref)
    assert anonymous.last_status == 403
    assert anonymous.package_entity_get(ref)["title"] == "Changed over the wire"

    client.package_entity_delete(ref)
    assert client.last_status == 200
    assert anonymous.package_register_get() == []
