"""The reads the benchmark times, over HTTP: a fixed, small number of SQL queries each.

Counts include the API-key lookup. They guard the read optimisations (stored
package dicts, one query per list, search answered from the index alone).
"""
import json
import os

import pytest
from haystack import connections

from searchapi.backends import CkanSolrSearchBackend
from tests.catalog.logic.factories import call, dataset, resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(make_user):
    return make_user()


@pytest.fixture
def word():
    """A tag only this test's datasets carry, so a search finds exactly them in a shared index."""
    return "qc" + "".join(chr(ord("a") + b % 26) for b in os.urandom(10))


@pytest.fixture
def catalog(alice, word, django_capture_on_commit_callbacks):
    """Datasets with resources, tags, extras and groups (the bench's shape), indexed.

    The writes' after-commit work (indexing) runs, as it does after a request,
    so searches find them.
    """
    with django_capture_on_commit_callbacks(execute=True):
        call("group_create", alice, name="qc-group")
        return [
            dataset(
                alice,
                resources=[resource("a"), resource("b"), resource("c")],
                tags=[{"name": f"tag{i % 5}"}, {"name": f"other{i % 3}"}, {"name": word}],
                extras=[{"key": "k1", "value": "v1"}, {"key": "k2", "value": "v2"}],
                groups=[{"name": "qc-group"}],
            )
            for i in range(6)
        ]


def get(client, name, params=None, user=None):
    headers = {"HTTP_AUTHORIZATION": user.apikey} if user else {}
    response = client.get(f"/api/3/action/{name}", params or {}, **headers)
    assert response.status_code == 200, response.content
    body = json.loads(response.content)
    assert body["success"], body
    return body["result"]


@pytest.mark.parametrize(
    "who, queries",
    [
        ("sysadmin", 2),  # the key; the dataset with its stored dict (a sysadmin needs no roles)
        ("anonymous", 2),  # the dataset; its roles
        ("user", 4),  # the key; the dataset; its roles; the user's authorization groups
    ],
)
def test_package_show(client, catalog, sysadmin, alice, who, queries, django_assert_max_num_queries):
    user = {"sysadmin": sysadmin, "anonymous": None, "user": alice}[who]
    for pkg in catalog:
        with django_assert_max_num_queries(queries):
            shown = get(client, "package_show", {"id": pkg["name"]}, user)
        assert shown == pkg


def test_package_list(client, catalog, sysadmin, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        names = get(client, "package_list", user=sysadmin)
    assert names == sorted(pkg["name"] for pkg in catalog)


def test_tag_list(client, catalog, sysadmin, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        tags = get(client, "tag_list", user=sysadmin)
    assert tags == sorted({tag["name"] for pkg in catalog for tag in pkg["tags"]})


def _commits_deferred():
    """Whether the index is a Solr whose writes leave their soft commit to the next search."""
    backend = connections["default"].get_backend()
    return isinstance(backend, CkanSolrSearchBackend) and backend.defers_commits


@pytest.mark.engine
def test_package_search_reads_the_index_then_the_stored_copies(client, catalog, word, sysadmin,
                                                               django_assert_max_num_queries):
    params = {"q": f"tags:{word}", "rows": "10", "facet.field": json.dumps(["tags", "res_format"])}
    # The key, the results' stored dicts (whatever their number). On a Solr whose writes
    # left their commit to this search (ckansite.generation) also: the generations (noted
    # by the key's query outside a test's transaction), the searchable one again under
    # the commit lock, the commit's mark.
    with django_assert_max_num_queries(5 if _commits_deferred() else 2):
        get(client, "package_search", {**params, "rows": "9"}, sysadmin)
    # Once the index has caught up: the key, the generations on such a Solr, the dicts.
    with django_assert_max_num_queries(3 if _commits_deferred() else 2):
        found = get(client, "package_search", params, sysadmin)
    assert found["count"] == len(catalog)
    by_name = sorted(found["results"], key=lambda pkg: pkg["name"])
    assert by_name == sorted(catalog, key=lambda pkg: pkg["name"])  # each result is package_show's dict
    assert found["facets"]["tags"][word] == len(catalog)
    assert found["facets"]["res_format"] == {"CSV": len(catalog)}  # datasets with a CSV resource
