"""The Util API (actionapi/util.py), over HTTP: the parts that need no catalog actions."""
import pytest

from tests.querycount import counted

pytestmark = pytest.mark.django_db

PREFIXES = ["/api/util", "/api/1/util", "/api/2/util"]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_munge_name_under_every_prefix(client, prefix):
    resp = client.get(f"{prefix}/dataset/munge_name", {"name": "police spending figures 2009"})
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/json"
    assert resp.json() == "police-spending-figures-2009"


def test_munge_title_to_name_spec_example(client):
    resp = client.get("/api/util/dataset/munge_title_to_name", {"title": "police: spending figures 2009"})
    assert resp.json() == "police-spending-figures-2009"


def test_munge_title_to_name_keeps_the_year_of_a_long_title(client):
    title = "Annual report of the department for transport on road and rail infrastructure spending across regions 2009"
    value = client.get("/api/util/dataset/munge_title_to_name", {"title": title}).json()
    assert value.endswith("-2009") and len(value) <= 100


def test_munge_tag(client):
    assert client.get("/api/util/tag/munge", {"tag": "Water Quality"}).json() == "water-quality"


@pytest.mark.parametrize("path", ["dataset/munge_name", "dataset/munge_title_to_name", "tag/munge"])
def test_munge_without_its_parameter_is_400(client, path):
    resp = client.get(f"/api/util/{path}")
    assert resp.status_code == 400
    assert "Missing parameter" in resp.json()["message"]


def test_markdown_is_a_json_string(client):
    assert client.get("/api/util/markdown", {"q": "##Title"}).json().strip() == "<h2>Title</h2>"


def test_markdown_autolink_gets_nofollow_and_blank_target(client):
    html = client.get("/api/util/markdown", {"q": "<http://ibm.com/>"}).json()
    assert 'href="http://ibm.com/"' in html and 'rel="nofollow"' in html and 'target="_blank"' in html


def test_markdown_links_datasets(client):
    html = client.get("/api/util/markdown", {"q": "See dataset:river-quality"}).json()
    assert "/dataset/river-quality" in html


@pytest.mark.parametrize("evil", ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', '<a href="#" onclick="x()">a</a>'])
def test_markdown_is_sanitised(client, evil):
    html = client.get("/api/util/markdown", {"q": evil}).json().lower()
    assert "<script" not in html and "onerror" not in html and "onclick" not in html


def test_markdown_of_nothing_is_empty(client):
    assert client.get("/api/util/markdown").json() == ""


def test_is_slug_valid_for_a_free_name(client):
    resp = client.get("/api/2/util/is_slug_valid", {"slug": "free-name", "type": "package"})
    assert resp.json() == {"valid": True}
    assert client.get("/api/2/util/is_slug_valid", {"slug": "free-name", "type": "group"}).json() == {"valid": True}


def test_is_slug_valid_refuses_invalid_names(client):
    resp = client.get("/api/2/util/is_slug_valid", {"slug": "Not Valid", "type": "package"})
    assert resp.json() == {"valid": False}


@pytest.mark.parametrize("params", [{"slug": "x", "type": "spaceship"}, {"slug": "x"}])
def test_is_slug_valid_needs_a_known_type(client, params):
    assert client.get("/api/2/util/is_slug_valid", params).status_code == 400


@pytest.mark.parametrize("path", ["dataset/autocomplete", "tag/autocomplete", "resource/format_autocomplete"])
def test_autocompletes_without_input_are_empty(client, path):
    assert client.get(f"/api/2/util/{path}", {"incomplete": ""}).json() == {"ResultSet": {"Result": []}}


def test_user_autocomplete_without_input_is_empty(client):
    assert client.get("/api/2/util/user/autocomplete").json() == []


def test_autocomplete_bad_limit_is_400(client):
    assert client.get("/api/2/util/tag/autocomplete", {"incomplete": "x", "limit": "many"}).status_code == 400


def test_status(client):
    body = client.get("/api/util/status").json()
    assert body["ckan_version"] == "1.6" and body["site_url"].startswith("http")


def test_browsers_get_the_browsable_api(client):
    resp = client.get("/api/util/tag/munge", {"tag": "x y"}, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("accept", ["application/json", "*/*", "application/xml", "text/plain"])
def test_other_clients_get_json(client, accept):
    resp = client.get("/api/util/tag/munge", {"tag": "x y"}, HTTP_ACCEPT=accept)
    assert resp["Content-Type"] == "application/json" and resp.json() == "x-y"


def test_trailing_slash_is_not_redirected(client):
    assert client.get("/api/util/tag/munge/", {"tag": "x"}).status_code == 404


# ---------------------------------------------------------------- with data, made through the actions

@pytest.fixture
def catalog(make_user):
    from catalog.logic import new_context
    from catalog.logic.registry import get_action

    owner = make_user(name="ua-owner-zq", fullname="Zoe Quill")
    context = lambda: new_context(user=owner)  # noqa: E731
    get_action("group_create")(context(), {"name": "slug-group"})
    dataset = get_action("package_create_rest")(context(), {
        "name": "annakarenina",
        "title": "A Novel By Tolstoy",
        "tags": ["russian", "Mixed Case Tag"],
        "resources": [{"url": "http://example.com/a", "format": "CSVZQ"}],
    })
    return {"owner": owner, "dataset": dataset}


def test_dataset_autocomplete_spec_example(client, catalog):
    body = client.get("/api/2/util/dataset/autocomplete", {"incomplete": "a novel"}).json()
    assert body == {"ResultSet": {"Result": [{
        "match_field": "title", "match_displayed": "A Novel By Tolstoy (annakarenina)",
        "name": "annakarenina", "title": "A Novel By Tolstoy"}]}}


def test_dataset_autocomplete_by_name(client, catalog):
    result = client.get("/api/2/util/dataset/autocomplete", {"incomplete": "annak"}).json()["ResultSet"]["Result"]
    assert result == [{"match_field": "name", "match_displayed": "annakarenina",
                       "name": "annakarenina", "title": "A Novel By Tolstoy"}]


def test_tag_and_format_autocomplete(client, catalog):
    assert client.get("/api/2/util/tag/autocomplete", {"incomplete": "ru"}).json() == {
        "ResultSet": {"Result": [{"Name": "russian"}]}}
    assert client.get("/api/2/util/tag/autocomplete", {"incomplete": "case"}).json() == {
        "ResultSet": {"Result": [{"Name": "Mixed Case Tag"}]}}
    assert client.get("/api/2/util/resource/format_autocomplete", {"incomplete": "csvz"}).json() == {
        "ResultSet": {"Result": [{"Format": "CSVZQ"}]}}


def test_user_autocomplete(client, catalog):
    owner = catalog["owner"]
    assert client.get("/api/2/util/user/autocomplete", {"q": "ua-owner"}).json() == [
        {"id": str(owner.id), "name": owner.name, "fullname": "Zoe Quill"}]
    assert len(client.get("/api/2/util/user/autocomplete", {"q": "u", "limit": 1}).json()) == 1


def test_is_slug_valid_for_taken_names(client, catalog):
    def valid(slug, kind):
        return client.get("/api/2/util/is_slug_valid", {"slug": slug, "type": kind}).json()["valid"]

    assert valid("annakarenina", "package") is False
    assert valid("slug-group", "group") is False
    assert valid("slug-group", "package") is True


def test_autocomplete_query_counts_are_fixed_whatever_the_number_of_matches(client, make_user):
    """Each autocomplete finds every match of "zq" (up to its limit) in a fixed number of queries."""
    from catalog.logic import new_context
    from catalog.logic.registry import get_action

    made = []

    def add(i):
        owner = make_user(name=f"zq-user-{i}")
        get_action("package_create_rest")(new_context(user=owner), {
            "name": f"zq-dataset-{i}", "tags": [f"zq-tag-{i}"], "resources": [{"url": "http://e.com", "format": f"ZQ{i}"}],
        })
        made.append(i)

    def read():
        counts, found = [], {}
        for path, param, key in [
            ("dataset/autocomplete", "incomplete", lambda body: [r["name"] for r in body["ResultSet"]["Result"]]),
            ("tag/autocomplete", "incomplete", lambda body: body["ResultSet"]["Result"]),
            ("resource/format_autocomplete", "incomplete", lambda body: body["ResultSet"]["Result"]),
            ("user/autocomplete", "q", lambda body: [u["name"] for u in body]),
        ]:
            count, resp = counted(lambda: client.get(f"/api/2/util/{path}", {param: "zq"}))
            counts.append(count)
            found[path] = key(resp.json())
        return counts, found

    for i in range(2):
        add(i)
    few, found = read()
    assert sorted(found["dataset/autocomplete"]) == [f"zq-dataset-{i}" for i in made]
    assert sorted(found["user/autocomplete"]) == [f"zq-user-{i}" for i in made]
    for i in range(2, 8):
        add(i)
    many, found = read()
    assert sorted(found["dataset/autocomplete"]) == [f"zq-dataset-{i}" for i in made]
    assert len(found["tag/autocomplete"]) == len(found["resource/format_autocomplete"]) == len(made)
    assert few == many and max(many) <= 3, (few, many)
