"""JSONP wrapping (actionapi/jsonp.py), over HTTP."""
import json
import re

import pytest

from actionapi.jsonp import is_safe_callback

pytestmark = pytest.mark.django_db


def unwrap(resp, callback):
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/javascript")
    match = re.fullmatch(re.escape(callback) + r"\((.*)\);", resp.content.decode(), re.S)
    assert match, resp.content
    return json.loads(match.group(1))


@pytest.mark.parametrize("name", ["cb", "jsoncallback", "jQuery1234_5678", "$", "a.b.c", "_x.$y"])
def test_safe_callbacks(name):
    assert is_safe_callback(name)


@pytest.mark.parametrize("name", ["alert(1)", "a b", "a..b", ".a", "a.", "1a", "a;b", "<script>", "x" * 200, "a-b"])
def test_unsafe_callbacks(name):
    assert not is_safe_callback(name)


def test_util_get_is_wrapped(client):
    resp = client.get("/api/util/tag/munge", {"tag": "water quality", "callback": "cb"})
    assert unwrap(resp, "cb") == "water-quality"


def test_dotted_callback(client):
    resp = client.get("/api/util/markdown", {"q": "*x*", "callback": "jQuery.fn.cb"})
    assert "<em>x</em>" in unwrap(resp, "jQuery.fn.cb")


def test_action_post_is_wrapped(client):
    resp = client.post("/api/action/site_read?callback=cb", data="{}", content_type="application/json")
    body = unwrap(resp, "cb")
    assert body["success"] is True and body["result"] is True


def test_v3_action_get_is_wrapped(client):
    assert unwrap(client.get("/api/3/action/site_read", {"callback": "cb"}), "cb")["result"] is True


def test_unsafe_callback_is_400(client):
    resp = client.get("/api/util/tag/munge", {"tag": "x", "callback": "alert(document.cookie)"})
    assert resp.status_code == 400
    assert "alert" not in resp.content.decode()


def test_error_responses_are_not_wrapped(client):
    resp = client.get("/api/2/util/is_slug_valid", {"slug": "x", "type": "spaceship", "callback": "cb"})
    assert resp.status_code == 400
    assert not resp.content.startswith(b"cb(")
    assert resp["Content-Type"] == "application/json"


def test_without_callback_nothing_changes(client):
    resp = client.get("/api/util/tag/munge", {"tag": "x y"})
    assert resp["Content-Type"] == "application/json"
    assert resp.json() == "x-y"


def test_empty_callback_is_ignored(client):
    resp = client.get("/api/util/tag/munge", {"tag": "x y", "callback": ""})
    assert resp.json() == "x-y"


def test_a_post_outside_the_action_api_is_left_alone(client, db):
    """The Search API answers POSTs with 200 JSON too: only the Action API's POSTs are wrapped."""
    resp = client.post("/api/2/search/dataset?callback=cb", data={"q": "jsonpnothingmatchesthis"})
    assert resp.status_code == 200 and resp["Content-Type"] == "application/json"
    assert resp.json() == {"count": 0, "results": []}


def test_line_separators_are_escaped(client, make_user):
    """orjson writes U+2028/2029 raw (valid JSON), but they end a line in older JavaScript."""
    from catalog.logic import new_context
    from catalog.logic.registry import get_action

    get_action("package_create")(new_context(user=make_user()), {"name": "jsonp-lines", "notes": "a\u2028b\u2029c"})
    resp = client.get("/api/3/action/package_show", {"id": "jsonp-lines", "callback": "cb"})
    text = resp.content.decode()
    assert "\u2028" not in text and "\u2029" not in text
    assert unwrap(resp, "cb")["result"]["notes"] == "a\u2028b\u2029c"


@pytest.fixture
def dataset(make_user, django_capture_on_commit_callbacks):
    from catalog.logic import new_context
    from catalog.logic.registry import get_action

    with django_capture_on_commit_callbacks(execute=True):  # search indexes after commit
        return get_action("package_create_rest")(
            new_context(user=make_user()), {"name": "jsonp-ds", "tags": ["jsonptag"]}
        )


@pytest.mark.parametrize("path", ["/api/rest/dataset/jsonp-ds", "/api/2/rest/dataset/jsonp-ds"])
def test_model_entity_is_wrapped(client, dataset, path):
    assert unwrap(client.get(path, {"callback": "cb"}), "cb")["name"] == "jsonp-ds"


def test_model_register_and_search_are_wrapped(client, dataset):
    assert "jsonp-ds" in unwrap(client.get("/api/rest/dataset", {"callback": "cb"}), "cb")
    # The test's search index outlives its database transaction: look for an id, not a count.
    found = unwrap(client.get("/api/2/search/dataset", {"tags": "jsonptag", "callback": "cb"}), "cb")["results"]
    assert dataset["id"] in found
    assert "jsonptag" in [name for name, _ in unwrap(client.get("/api/tag_counts", {"callback": "cb"}), "cb")]


def test_model_404_is_not_wrapped(client, db):
    resp = client.get("/api/rest/dataset/no-such-dataset", {"callback": "cb"})
    assert resp.status_code == 404 and not resp.content.startswith(b"cb(")
