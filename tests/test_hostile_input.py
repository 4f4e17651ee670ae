"""Hostile input: lone surrogates, non-standard JSON constants, deeply nested queries,
huge datasets and email probes get a clear client error, never a 5xx."""
import json

import pytest

pytestmark = pytest.mark.django_db

SURROGATE = '"\\ud800"'  # a JSON string holding a lone surrogate


def _body(template):
    """A JSON text where every `@` becomes a string holding a lone surrogate."""
    return template.replace("@", SURROGATE)


def post(client, path, text, user=None):
    headers = {"HTTP_AUTHORIZATION": user.apikey} if user else {}
    return client.post(path, text, content_type="application/json", **headers)


@pytest.mark.parametrize(
    "path, template",
    [
        ("/api/action/package_create", '{"name": "s1", "title": @}'),
        ("/api/action/package_create", '{"name": "s1", "notes": @}'),
        ("/api/action/package_create", '{"name": "s1", "tags": [{"name": @}]}'),
        ("/api/action/package_create", '{"name": "s1", "extras": [{"key": "k", "value": @}]}'),
        ("/api/action/package_create", '{"name": "s1", "extras": [{"key": @, "value": "v"}]}'),
        ("/api/action/package_create", '{"name": "s1", "resources": [{"url": @}]}'),
        ("/api/action/package_show", '{"id": @}'),
        ("/api/action/user_list", '{"q": @}'),
        ("/api/action/group_create", '{"name": "g1", "title": @}'),
        ("/api/action/user_update", '{"id": "x", "fullname": @}'),
        ("/api/rest/dataset", '{"name": "s1", "title": @}'),
        ("/api/2/rest/group", '{"name": "g1", "title": @}'),
        ("/api/search/dataset", '{"q": @}'),
        ("/api/search/revision", '{"since_id": @}'),
        # tag_counts takes no parameter, but a body it cannot read is still refused
        ("/api/tag_counts", '{"since_id": @}'),
        ("/api/2/tag_counts", '[@]'),
    ],
)
def test_lone_surrogate_in_a_body_is_a_400(client, sysadmin, path, template):
    resp = post(client, path, _body(template), sysadmin)
    assert resp.status_code == 400, resp.content
    assert resp["Content-Type"].startswith("application/json")
    assert "surrogate" in resp.content.decode()


def test_lone_surrogate_in_the_old_form_body_is_a_400(client, sysadmin):
    from urllib.parse import quote

    text = quote(_body('{"name": "s1", "title": @}')) + "=1"
    resp = client.post("/api/action/package_create", text, content_type="application/x-www-form-urlencoded",
                       HTTP_AUTHORIZATION=sysadmin.apikey)
    assert resp.status_code == 400, resp.content


def test_lone_surrogate_in_qjson_is_a_400(client):
    resp = client.get("/api/search/dataset", {"qjson": _body('{"q": @}')})
    assert resp.status_code == 400, resp.content


def test_lone_surrogate_in_a_json_list_parameter_is_a_400(client, settings):
    settings.CKAN_ACTION_API_STATUS_CODES = True
    resp = client.get("/api/action/package_search", {"facet.field": _body("[@]")})
    assert resp.status_code == 400, resp.content
    assert "surrogate" in resp.content.decode()


def test_a_proper_surrogate_pair_is_an_ordinary_character(client, sysadmin):
    resp = post(client, "/api/action/package_create", '{"name": "pair", "title": "x\\ud83d\\ude00"}', sysadmin)
    assert resp.status_code == 200, resp.content
    assert resp.json()["result"]["title"] == "x\U0001F600"


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize("path", ["/api/action/package_create", "/api/rest/dataset"])
def test_non_standard_json_constants_are_a_400(client, sysadmin, constant, path):
    resp = post(client, path, '{"name": %s}' % constant, sysadmin)
    assert resp.status_code == 400, resp.content
    assert constant.lstrip("-") in resp.content.decode()
    from catalog.models import Package

    assert not Package.objects.exists()


def test_non_standard_json_constant_in_qjson_is_a_400(client):
    resp = client.get("/api/search/dataset", {"qjson": '{"q": "x", "limit": NaN}'})
    assert resp.status_code == 400, resp.content


# ---------------------------------------------------------------- search queries

DEEP = "(" * 490 + "water" + ")" * 490


@pytest.mark.parametrize(
    "path, params",
    [
        ("/api/action/package_search", {"q": DEEP}),
        ("/api/action/package_search", {"fq": DEEP}),
        ("/api/search/dataset", {"q": DEEP}),
        ("/api/2/search/dataset", {"q": DEEP}),
        ("/api/action/package_search", {"q": "title:" * 1000 + "x"}),
    ],
)
def test_deeply_nested_search_queries_are_a_400(client, settings, path, params):
    settings.CKAN_ACTION_API_STATUS_CODES = True
    settings.CKAN_MAX_URL_LENGTH = 1_000_000  # the query parser's own bound, not the URL's (tests/test_long_urls.py)
    resp = client.get(path, params)
    assert resp.status_code == 400, resp.content
    assert "nested" in resp.content.decode()


def test_too_many_clauses_is_a_400(client, settings):
    settings.CKAN_ACTION_API_STATUS_CODES = True
    resp = client.get("/api/action/package_search", {"q": " ".join(f"w{i}" for i in range(1100))})
    assert resp.status_code == 400, resp.content
    assert "clauses" in resp.content.decode()


def test_too_long_a_query_is_a_400(client, settings):
    settings.CKAN_ACTION_API_STATUS_CODES = True
    settings.CKAN_MAX_URL_LENGTH = 1_000_000  # the query parser's own bound, not the URL's
    resp = client.get("/api/action/package_search", {"q": "w" * 20000})
    assert resp.status_code == 400, resp.content
    assert "characters" in resp.content.decode()


def test_moderately_nested_queries_still_work(client, settings):
    settings.CKAN_ACTION_API_STATUS_CODES = True
    resp = client.get("/api/action/package_search", {"q": "(" * 30 + "water" + ")" * 30})
    assert resp.status_code == 200, resp.content


# ---------------------------------------------------------------- dataset size

def test_more_tags_than_the_cap_is_a_validation_error(client, sysadmin, settings):
    settings.CKAN_ACTION_API_STATUS_CODES = True
    settings.CKAN_MAX_LIST_ITEMS = 5
    body = {"name": "many", "tags": [f"t{i}" for i in range(6)]}
    resp = post(client, "/api/action/package_create", json.dumps(body), sysadmin)
    assert resp.status_code == 409, resp.content
    assert "at most 5" in json.dumps(resp.json()["error"]["tags"])
    body["tags"] = body["tags"][:5]
    assert post(client, "/api/action/package_create", json.dumps(body), sysadmin).status_code == 200


@pytest.mark.parametrize("field, item", [("resources", {"url": "http://x"}), ("extras", None)])
def test_more_resources_or_extras_than_the_cap_is_a_validation_error(client, sysadmin, settings, field, item):
    settings.CKAN_ACTION_API_STATUS_CODES = True
    settings.CKAN_MAX_LIST_ITEMS = 3
    items = [item or {"key": f"k{i}", "value": "v"} for i in range(4)]
    resp = post(client, "/api/action/package_create", json.dumps({"name": "many", field: items}), sysadmin)
    assert resp.status_code == 409, resp.content
    assert field in resp.json()["error"]


def test_the_default_cap_is_1000(settings):
    from django.conf import settings as live

    assert live.CKAN_MAX_LIST_ITEMS == 1000


def test_the_front_page_does_not_build_dataset_dicts(client, sysadmin, django_assert_max_num_queries):
    from catalog.logic import new_context
    from catalog.logic.action.create import package_create

    for i in range(25):
        package_create(new_context(user=sysadmin), {"name": f"front-{i}", "tags": [f"t{i}-{j}" for j in range(30)],
                                                    "resources": [{"url": "http://x/%d" % j} for j in range(5)]})
    with django_assert_max_num_queries(6):
        resp = client.get("/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert html.count('href="/dataset/front-') == 20
    assert 'href="/dataset/front-24"' in html and 'href="/dataset/front-4"' not in html


# ---------------------------------------------------------------- email enumeration

@pytest.fixture
def emailed(make_user):
    return make_user("emailed-user", email="secret-admin@example.org")


@pytest.mark.parametrize("path", ["/api/action/user_list", "/api/util/user/autocomplete", "/api/action/user_autocomplete"])
def test_anonymous_and_users_cannot_search_users_by_email(client, emailed, make_user, path):
    other = make_user()
    for headers in ({}, {"HTTP_AUTHORIZATION": other.apikey}):
        resp = client.get(path, {"q": "secret-admin@"}, **headers)
        assert resp.status_code == 200, resp.content
        assert "emailed-user" not in resp.content.decode()
        assert "emailed-user" in client.get(path, {"q": "emailed"}, **headers).content.decode()


@pytest.mark.parametrize("path", ["/api/action/user_list", "/api/util/user/autocomplete"])
def test_sysadmins_can_search_users_by_email(client, emailed, sysadmin, path):
    resp = client.get(path, {"q": "secret-admin@"}, HTTP_AUTHORIZATION=sysadmin.apikey)
    assert "emailed-user" in resp.content.decode()
