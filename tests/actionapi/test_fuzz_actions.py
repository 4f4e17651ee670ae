"""Junk bodies sent to every action never produce a 500.

A seeded random sweep: each request picks an action and a handful of
parameter names CKAN clients use, with values of the wrong type, shape or
size, as the sysadmin or anonymously. Any unhandled exception or 5xx fails
the test with the action and body that caused it, so a failure is always
reproducible from the seed.
"""
import json
import random

import pytest
from django.test import Client

from catalog.logic import registry

JUNK = [
    None, 0, -1, 1e308, True, "x", "", " ", "\x00", "a" * 300, "(", '"', "NaN", "2012-13-45", "*:*", "name:",
    [], {}, [1, 2], {"a": 1}, ["x"], [{}], [None], {"name": 1}, [{"name": None}], [{"key": 1, "value": [1]}],
    [{"url": None}], "admin", ["admin"], ["bogus"], "depends_on",
]
KEYS = [
    "id", "name", "q", "title", "resources", "tags", "extras", "groups", "packages", "limit", "offset", "rows",
    "start", "sort", "fq", "facet.field", "facet.limit", "package", "dataset", "rating", "user", "roles",
    "domain_object", "subject", "object", "type", "id2", "rel", "comment", "all_fields", "order_by", "url",
    "state", "email", "password", "user_roles", "fields", "facet_by", "return_objects", "since_time", "since_id",
    "query", "authorization_group", "reset_key", "apikey", "package_id", "format", "hash", "version",
    "author_email", "license_id", "notes", "fullname", "about", "description", "page", "user_obj", "log_message",
    "position", "size", "last_modified",
]


@pytest.fixture
def catalog_with_data(sysadmin):
    admin = Client(HTTP_AUTHORIZATION=sysadmin.apikey)

    def call(action, body):
        response = admin.post(f"/api/action/{action}", json.dumps(body), content_type="application/json")
        assert response.json()["success"], response.content
        return response.json()["result"]

    group = call("group_create", {"name": "fuzz-group"})
    datasets = [
        call("package_create", {"name": f"fuzz-ds-{i}", "tags": [{"name": "fuzz"}], "groups": [{"name": "fuzz-group"}],
                                "resources": [{"url": "http://example.org/x.csv", "format": "CSV"}]})
        for i in range(3)
    ]
    return [group["name"]] + [d["name"] for d in datasets] + [datasets[0]["id"]]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("seed", range(6))
def test_junk_bodies_never_cause_a_server_error(seed, sysadmin, catalog_with_data):
    rng = random.Random(seed)
    clients = [Client(HTTP_AUTHORIZATION=sysadmin.apikey, raise_request_exception=True),
               Client(raise_request_exception=True)]
    actions = registry.action_names()
    pool = JUNK + catalog_with_data
    for _ in range(600):
        action = rng.choice(actions)
        body = {key: rng.choice(pool) for key in rng.sample(KEYS, rng.randint(0, 7))}
        if rng.random() < 0.3:
            body["id"] = rng.choice(catalog_with_data)
        client = clients[0] if rng.random() < 0.8 else clients[1]
        try:
            response = client.post(f"/api/action/{action}", json.dumps(body), content_type="application/json")
        except Exception as exc:  # noqa: BLE001 - any escape is the failure we look for
            pytest.fail(f"{action} {json.dumps(body)[:300]} raised {type(exc).__name__}: {exc}")
        assert response.status_code < 500, (action, body, response.content[:300])
