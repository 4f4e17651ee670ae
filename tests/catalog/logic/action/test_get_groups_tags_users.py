"""The group, tag, user, licence, role and status reads of catalog/logic/action/get.py, over HTTP."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.logic.registry import get_action
from catalog.models import Revision
from tests.catalog.logic.action.groups_users_support import error, group, result, rest_context, unique, user
from tests.catalog.logic.factories import call, dataset

pytestmark = pytest.mark.django_db


def grant(owner, holder, domain_object, *roles):
    return call("user_role_update", owner, {"user": holder.name, "domain_object": domain_object, "roles": list(roles)})


# ---------------------------------------------------------------- group lists

def test_group_list_gives_active_names_and_v2_ids(client, make_user):
    alice = make_user()
    kept, deleted = group(alice), group(alice)
    call("group_delete", alice, {"id": deleted["id"]})
    names = result(client, "group_list")
    assert kept["name"] in names and deleted["name"] not in names
    assert kept["id"] in get_action("group_list")(rest_context(None, 2), {})


def test_group_list_all_fields_counts_active_datasets_and_orders_by_packages(client, make_user):
    alice = make_user()
    one, two = dataset(alice), dataset(alice)
    gone = dataset(alice)
    small = group(alice, packages=[{"id": one["id"]}])
    big = group(alice, packages=[{"id": one["id"]}, {"id": two["id"]}, {"id": gone["id"]}])
    call("package_delete", alice, {"id": gone["id"]})
    listed = result(client, "group_list", {"all_fields": True, "order_by": "packages"})
    counts = {g["name"]: g["packages"] for g in listed}
    assert (counts[big["name"]], counts[small["name"]]) == (2, 1)
    names = [g["name"] for g in listed]
    assert names.index(big["name"]) < names.index(small["name"])
    assert {"id", "name", "title", "display_name", "state"} <= set(listed[0])


def test_group_list_unknown_order_is_a_parameter_error(client):
    error(client, "group_list", {"order_by": "size"}, error_type="Parameter Error")


def test_group_list_takes_names_limit_and_offset_as_ckan_2(client, make_user):
    alice = make_user()
    made = sorted(group(alice)["name"] for _ in range(4))
    assert result(client, "group_list", {"groups": made[1:3]}) == made[1:3]
    assert result(client, "group_list", {"groups": made, "limit": 2, "offset": 1}) == made[1:3]
    assert [g["name"] for g in result(client, "group_list", {"groups": made[0], "all_fields": True})] == made[:1]
    assert "groups" in error(client, "group_list", {"groups": [1]}, error_type="Validation Error")
    assert "groups" in error(client, "group_list", {"groups": [f"g{i}" for i in range(40000)]}, error_type="Validation Error")
    error(client, "group_list", {"limit": -1})


def test_group_list_authz_lists_only_editable_groups(client, make_user, sysadmin):
    alice, bob = make_user(), make_user()
    mine = group(alice)
    assert mine["name"] in [g["name"] for g in result(client, "group_list_authz", {}, alice)]
    assert mine["name"] not in [g["name"] for g in result(client, "group_list_authz", {}, bob)]
    assert result(client, "group_list_authz", {}) == []
    grant(alice, bob, mine["name"], "editor")
    assert mine["name"] in [g["name"] for g in result(client, "group_list_authz", {}, bob)]
    assert mine["name"] in [g["name"] for g in result(client, "group_list_authz", {}, sysadmin)]


def test_group_list_available_leaves_out_the_datasets_groups(client, make_user):
    alice = make_user()
    ds = dataset(alice)
    holding, other = group(alice, packages=[{"id": ds["id"]}]), group(alice)
    available = [g["name"] for g in result(client, "group_list_available", {"id": ds["name"]}, alice)]
    assert other["name"] in available and holding["name"] not in available
    error(client, "group_list_available", {"id": "no-such-dataset"}, alice, "Not Found Error")


# ---------------------------------------------------------------- group reads

def test_group_show_gives_fields_extras_and_full_dataset_dicts(client, make_user):
    alice = make_user()
    ds = dataset(alice, title="In the group")
    created = group(alice, title="Shown", packages=[{"id": ds["id"]}], extras=[{"key": "a", "value": "1"}])
    shown = result(client, "group_show", {"id": created["name"]})
    assert (shown["id"], shown["title"], shown["display_name"]) == (created["id"], "Shown", "Shown")
    assert [(e["key"], e["value"]) for e in shown["extras"]] == [("a", "1")]
    assert [(p["name"], p["title"]) for p in shown["packages"]] == [(ds["name"], "In the group")]
    assert "resources" in shown["packages"][0]


def test_group_show_costs_the_same_queries_whatever_its_size(client, make_user):
    alice = make_user()
    small = group(alice, packages=[{"id": dataset(alice)["id"]}])
    big = group(alice, packages=[{"id": dataset(alice)["id"]} for _ in range(6)])
    counts = []
    for created in (small, big):
        with CaptureQueriesContext(connection) as queries:
            result(client, "group_show", {"id": created["id"]})
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_group_show_without_datasets_does_not_read_them(client, make_user):
    alice = make_user()
    ds = dataset(alice)
    held = group(alice, packages=[{"id": ds["id"]}])
    with CaptureQueriesContext(connection) as queries:
        shown = get_action("group_show")(rest_context(alice, 3), {"id": held["name"], "include_datasets": False})
    assert "packages" not in shown and shown["name"] == held["name"]
    assert not any("catalog_package" in query["sql"] for query in queries.captured_queries)


def test_group_show_unknown_is_not_found_and_missing_id_invalid(client):
    error(client, "group_show", {"id": "no-such-group"}, error_type="Not Found Error")
    assert error(client, "group_show", {}, error_type="Validation Error")["id"]


def test_a_deleted_group_is_shown_only_to_its_admins(client, make_user):
    alice, bob = make_user(), make_user()
    created = group(alice)
    call("group_delete", alice, {"id": created["id"]})
    error(client, "group_show", {"id": created["id"]}, bob, "Authorization Error")
    assert result(client, "group_show", {"id": created["id"]}, alice)["state"] == "deleted"


@pytest.mark.parametrize("api_version, attr", [(1, "name"), (2, "id")])
def test_group_show_rest_refers_to_datasets_by_version(make_user, api_version, attr):
    alice = make_user()
    first, second = dataset(alice), dataset(alice)
    created = group(alice, packages=[{"id": first["id"]}, {"id": second["id"]}], extras=[{"key": "k", "value": "v"}])
    shown = get_action("group_show_rest")(rest_context(None, api_version), {"id": created["id"]})
    assert shown["packages"] == shown["datasets"] == sorted([first[attr], second[attr]])
    assert shown["extras"] == {"k": "v"}


def test_group_package_show_lists_datasets_by_name_with_a_limit(client, make_user):
    alice = make_user()
    names = sorted(dataset(alice, name=unique(f"gp{i}"))["name"] for i in range(3))
    created = group(alice, packages=[{"name": n} for n in names])
    assert [p["name"] for p in result(client, "group_package_show", {"id": created["id"]})] == names
    assert [p["name"] for p in result(client, "group_package_show", {"id": created["id"], "limit": 2})] == names[:2]
    assert error(client, "group_package_show", {"id": created["id"], "limit": "x"}, error_type="Validation Error")


def test_group_revision_list_is_newest_first_with_authors(client, make_user):
    alice, bob = make_user(), make_user()
    created = group(alice)
    grant(alice, bob, created["name"], "editor")
    updated = call("group_update", bob, {"id": created["id"], "title": "By bob"})
    revisions = result(client, "group_revision_list", {"id": created["name"]})
    assert [(r["id"], r["author"]) for r in revisions] == [
        (updated["revision_id"], bob.name), (created["revision_id"], alice.name)]
    assert {"id", "timestamp", "message", "author", "approved_timestamp"} == set(revisions[0])


# ---------------------------------------------------------------- tags

def test_tag_list_q_all_fields_limit_offset(client, make_user):
    alice = make_user()
    word = unique("w").replace("-", "")
    tags = sorted(f"{c}{word}" for c in "abc")
    dataset(alice, tags=[{"name": t} for t in tags])
    assert result(client, "tag_list", {"q": word.upper()}) == tags
    assert result(client, "tag_list", {"q": word, "limit": 2, "offset": 1}) == tags[1:]
    listed = result(client, "tag_list", {"q": word, "all_fields": True, "limit": 1})
    assert [(t["name"], bool(t["id"])) for t in listed] == [(tags[0], True)]
    assert set(tags) <= set(result(client, "tag_list"))


def test_tags_of_deleted_datasets_leave_the_lists(client, make_user):
    alice = make_user()
    tag = unique("gone")
    ds = dataset(alice, tags=[{"name": tag}])
    call("package_delete", alice, {"id": ds["id"]})
    assert tag not in result(client, "tag_list")
    assert result(client, "tag_autocomplete", {"q": tag}) == []
    assert result(client, "tag_show", {"id": tag})["packages"] == []


def test_tag_show_and_tag_show_rest(client, make_user):
    alice = make_user()
    tag = unique("tag")
    first, second = dataset(alice, tags=[{"name": tag}]), dataset(alice, tags=[{"name": tag}])
    shown = result(client, "tag_show", {"id": tag})
    assert shown["name"] == tag
    assert sorted(p["name"] for p in shown["packages"]) == sorted([first["name"], second["name"]])
    assert result(client, "tag_show", {"id": shown["id"]})["name"] == tag
    assert result(client, "tag_show_rest", {"id": tag}) == sorted([first["name"], second["name"]])
    assert get_action("tag_show_rest")(rest_context(None, 2), {"id": tag}) == sorted([first["id"], second["id"]])
    error(client, "tag_show", {"id": unique("notag")}, error_type="Not Found Error")


def test_tag_search_matches_every_term_in_either_spelling(client, make_user):
    alice = make_user()
    word = unique("ts").replace("-", "")
    dataset(alice, tags=[{"name": f"{word}-river"}, {"name": f"{word}-road"}])
    found = result(client, "tag_search", {"query": word})
    assert (found["count"], sorted(t["name"] for t in found["results"])) == (2, [f"{word}-river", f"{word}-road"])
    both = result(client, "tag_search", {"q": word, "fields": {"tags": "riv"}})
    assert [t["name"] for t in both["results"]] == [f"{word}-river"]
    assert result(client, "tag_search", {"query": word, "limit": 1, "offset": 1})["results"][0]["name"] == \
        f"{word}-road"
    assert result(client, "tag_search", {}) == {"count": 0, "results": []}


def test_tag_autocomplete_finds_inner_text_and_honours_limit(client, make_user):
    alice = make_user()
    word = unique("ac").replace("-", "")
    dataset(alice, tags=[{"name": f"x{word}1"}, {"name": f"y{word}2"}])
    assert result(client, "tag_autocomplete", {"q": word.upper()}) == [f"x{word}1", f"y{word}2"]
    assert result(client, "tag_autocomplete", {"q": word, "limit": 1}) == [f"x{word}1"]
    assert result(client, "tag_autocomplete", {}) == []


# ---------------------------------------------------------------- users

def test_user_list_finds_by_text_and_never_shows_private_fields(client, sysadmin):
    word = unique("ul").replace("-", "")
    made = user(sysadmin, name=f"ul-{word}", fullname="Listed Person")
    listed = result(client, "user_list", {"q": word}, sysadmin)
    assert [u["name"] for u in listed] == [made.name]
    assert not {"apikey", "reset_key", "email", "password"} & set(listed[0])
    assert [u["name"] for u in result(client, "user_list", {"q": "listed person"})] == [made.name]


def test_user_list_orders(client, sysadmin):
    word = unique("uo").replace("-", "")
    zed = user(sysadmin, name=f"a-{word}", fullname="Zed")
    amy = user(sysadmin, name=f"b-{word}", fullname="Amy")
    group(amy)
    assert [u["name"] for u in result(client, "user_list", {"q": word, "order_by": "name"})] == [zed.name, amy.name]
    assert [u["name"] for u in result(client, "user_list", {"q": word, "order_by": "display_name"})] == [
        amy.name, zed.name]
    by_edits = result(client, "user_list", {"q": word, "order_by": "edits"})
    assert [(u["name"], u["number_of_edits"]) for u in by_edits] == [(amy.name, 1), (zed.name, 0)]
    error(client, "user_list", {"order_by": "apikey"}, error_type="Parameter Error")


def test_user_list_costs_the_same_queries_whatever_the_number_of_users(client, sysadmin):
    word = unique("uq").replace("-", "")
    user(sysadmin, name=f"one-{word}")
    with CaptureQueriesContext(connection) as one:
        result(client, "user_list", {"q": word})
    for i in range(4):
        user(sysadmin, name=f"more{i}-{word}")
    with CaptureQueriesContext(connection) as five:
        assert len(result(client, "user_list", {"q": word})) == 5
    assert len(one) == len(five)


def test_user_show_private_fields_only_to_the_user_and_sysadmins(client, sysadmin, make_user):
    alice = user(sysadmin, fullname="Alice A", about="About")
    stranger = make_user()
    public = result(client, "user_show", {"id": alice.name})
    assert (public["id"], public["fullname"], public["about"], public["display_name"]) == (
        str(alice.pk), "Alice A", "About", "Alice A")
    assert not {"apikey", "reset_key", "email"} & set(public)
    assert "apikey" not in result(client, "user_show", {"id": alice.name}, stranger)
    assert result(client, "user_show", {"id": str(alice.pk)}, alice)["apikey"] == alice.apikey
    as_sysadmin = result(client, "user_show", {"id": alice.name}, sysadmin)
    assert (as_sysadmin["apikey"], as_sysadmin["email"]) == (alice.apikey, alice.email)


def test_user_show_counts_edits_and_lists_administered_datasets_and_activity(client, sysadmin):
    alice = user(sysadmin)
    ds = dataset(alice)
    deleted = dataset(alice)
    call("package_delete", alice, {"id": deleted["id"]})
    shown = result(client, "user_show", {"id": alice.name})
    assert shown["number_of_edits"] == Revision.objects.filter(author=alice.name).count() == 3
    assert shown["number_administered_packages"] == 2
    assert [d["name"] for d in shown["datasets"]] == [ds["name"]]
    assert ds["name"] in shown["activity"][-1]["packages"]
    mine = result(client, "user_show", {"id": alice.name}, alice)
    assert sorted(d["name"] for d in mine["datasets"]) == sorted([ds["name"], deleted["name"]])


def test_user_show_unknown_is_not_found(client):
    error(client, "user_show", {"id": "no-such-user"}, error_type="Not Found Error")
    error(client, "user_show", {"id": "8b6b7c1e-7f5d-4a7e-9f57-000000000000"}, error_type="Not Found Error")


def test_user_show_accepts_a_user_object_from_python(sysadmin):
    alice = user(sysadmin)
    assert call("user_show", None, {"user_obj": alice})["name"] == alice.name


def test_user_autocomplete(client, sysadmin):
    word = unique("ua").replace("-", "")
    made = user(sysadmin, name=f"ua-{word}", fullname="Auto Complete")
    user(sysadmin, name=f"ub-{word}")
    assert result(client, "user_autocomplete", {"q": word, "limit": 1}) == [
        {"id": str(made.pk), "name": made.name, "fullname": "Auto Complete"}]
    assert len(result(client, "user_autocomplete", {"q": word})) == 2
    assert result(client, "user_autocomplete", {}) == []


# ---------------------------------------------------------------- licences, roles, status

def test_licence_list(client):
    licences = result(client, "licence_list")
    assert any(lic["is_okd_compliant"] for lic in licences)
    assert all(isinstance(lic["id"], str) and isinstance(lic["title"], str) for lic in licences)


def test_roles_show_on_datasets_and_groups(client, make_user):
    alice = make_user()
    ds, grp = dataset(alice), group(alice)
    on_dataset = result(client, "roles_show", {"domain_object": ds["name"]})
    assert (on_dataset["domain_object_type"], on_dataset["domain_object_id"]) == ("Package", ds["id"])
    assert ("visitor", "reader") in [(r["user_id"], r["role"]) for r in on_dataset["roles"]]
    mine = result(client, "roles_show", {"domain_object": grp["id"], "user": alice.name})
    assert (mine["domain_object_type"], mine["user"]) == ("Group", str(alice.pk))
    assert [(r["user_id"], r["role"], r["group_id"]) for r in mine["roles"]] == [(str(alice.pk), "admin", grp["id"])]
    visitor = result(client, "roles_show", {"domain_object": grp["id"], "user": "visitor"})
    assert [r["role"] for r in visitor["roles"]] == ["reader"]
    error(client, "roles_show", {"domain_object": "nothing-here"}, error_type="Not Found Error")
    error(client, "roles_show", {"domain_object": grp["id"], "user": "nobody-here"}, error_type="Not Found Error")


def test_status_show(client, settings):
    status = result(client, "status_show")
    assert (status["ckan_version"], status["site_url"]) == ("1.6", settings.CKAN_SITE_URL)
    assert "site_title" in status


@pytest.mark.parametrize("action, data, field", [
    ("tag_list", {"limit": 10**30}, "limit"),
    ("tag_list", {"offset": "many"}, "offset"),
    ("tag_list", {"all_fields": "perhaps"}, "all_fields"),
    ("group_package_show", {"limit": -1}, "limit"),
    ("user_autocomplete", {"q": "a", "limit": [1]}, "limit"),
    ("tag_search", {"query": "a", "fields": ["tags"]}, "fields"),
    ("user_list", {"q": {"name": "a"}}, "q"),
])
def test_bad_parameters_are_validation_errors_naming_the_field(client, make_user, action, data, field):
    if action == "group_package_show":  # a group that exists, so only the limit can be wrong
        data = dict(data, id=group(make_user())["name"])
    body = error(client, action, data, error_type="Validation Error")
    assert field in body, body


@pytest.mark.parametrize("data", [
    {"id": [1]}, {"id": {"a": 1}}, {"id": 5},
])
@pytest.mark.parametrize("action", ["group_show", "tag_show", "user_show", "group_revision_list"])
def test_odd_references_are_not_found(client, action, data):
    error(client, action, data, error_type="Not Found Error")


def test_group_list_available_keeps_a_group_the_dataset_left(client, make_user):
    alice = make_user()
    ds, other = dataset(alice), dataset(alice)
    grp = group(alice, packages=[{"id": ds["id"]}])
    call("group_update", alice, {"id": grp["id"], "packages": [{"id": other["id"]}]})
    available = [g["name"] for g in result(client, "group_list_available", {"id": ds["id"]}, alice)]
    assert grp["name"] in available
