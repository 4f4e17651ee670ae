"""Explicit scenarios that run every write action to success, as a sysadmin and as an ordinary user.

One scenario, two drivers: `tests/actionapi/test_openapi_conformance.py`
runs it through Django's test client, and `scripts/fuzz_scenarios.py` runs
it against a live server (SQLite + Whoosh, PostgreSQL + Solr) during
`make fuzz`. Each step names who calls, what, and what must come back:
"ok" (2xx and, on the Action API, success true) or "forbidden" (403, or on
the Action API an Authorization Error). The driver checks every answer
against /api/openapi.json.

`ApiScenario(send)`: `send(role, method, path, body)` returns
(status, decoded JSON body); roles are "sysadmin", "user" (an ordinary
user) and "other" (a second ordinary user, who holds no role on the first
user's objects).
"""
import os

# Every write action of the Action API, and the Model API routes that call one.
WRITE_ACTIONS = (
    "dataset_purge", "group_create", "group_create_rest", "group_delete", "group_patch", "group_purge",
    "group_update", "group_update_rest", "make_latest_pending_package_active", "package_create",
    "package_create_rest", "package_create_validate", "package_delete", "package_patch",
    "package_relationship_create", "package_relationship_delete", "package_relationship_update",
    "package_update", "package_update_rest", "package_update_validate", "rating_create", "resource_create",
    "resource_patch", "resource_update", "user_create", "user_role_bulk_update", "user_role_update", "user_update",
)
# What only sysadmins may do: an ordinary user is refused these on any object.
SYSADMIN_ONLY = {"dataset_purge", "group_purge"}


class ScenarioFailure(AssertionError):
    pass


class ApiScenario:
    """Runs the scenario through `send`, recording (role, action or route, status) of each call."""

    def __init__(self, send):
        self.send = send
        self.calls = []
        self.tag = os.urandom(3).hex()

    def _expect(self, label, role, expect, status, body, action_api):
        if action_api:
            success = isinstance(body, dict) and body.get("success") is True
            error_type = (body.get("error") or {}).get("__type") if isinstance(body, dict) else None
            forbidden = status == 403 or (status == 200 and error_type == "Authorization Error")
            ok = status == 200 and success
        else:
            forbidden, ok = status == 403, 200 <= status < 300
        self.calls.append((role, label, status, ok))
        if (expect == "ok" and not ok) or (expect == "forbidden" and not forbidden):
            raise ScenarioFailure(f"{role} {label}: expected {expect}, got {status} {str(body)[:500]}")
        return body.get("result") if action_api and ok else body

    def action(self, role, name, body, expect="ok"):
        status, answer = self.send(role, "POST", f"/api/3/action/{name}", body)
        return self._expect(name, role, expect, status, answer, action_api=True)

    def rest(self, role, method, path, label, body=None, expect="ok"):
        status, answer = self.send(role, method, path, body)
        return self._expect(label, role, expect, status, answer, action_api=False)

    def name(self, role, what):
        return f"{what}-{role}-{self.tag}"

    # ------------------------------------------------------------ the scenario

    def run(self, sysadmin_name, user_name, other_name):
        """Every write action, once per role that may run it, then the refusals."""
        for role in ("sysadmin", "user"):
            self._writes(role, other_name)
        self._refusals(sysadmin_name, user_name)
        return self.calls

    def _writes(self, role, other_name):
        n = lambda what: self.name(role, what)  # noqa: E731 - a short local namer
        group = self.action(role, "group_create", {"name": n("group"), "title": "A group",
                                                   "extras": [{"key": "origin", "value": "scenario"}]})
        self.action(role, "package_create_validate", {"name": n("checked"), "tags": [{"name": "shared tag"}]})
        dataset = self.action(role, "package_create", {
            "name": n("data"), "title": "Data", "notes": "Some *notes*", "license_id": "cc-by",
            "tags": [{"name": "shared tag"}, {"name": n("tag")}], "groups": [{"name": group["name"]}],
            "extras": [{"key": "spatial", "value": "world"}],
            "resources": [{"url": "http://example.org/a.csv", "format": "CSV", "size": 10}],
        })
        other = self.action(role, "package_create", {"name": n("other"), "tags": [{"name": "shared tag"}]})
        self.action(role, "package_update_validate", {"id": dataset["id"], "name": dataset["name"], "title": "Checked"})
        updated = self.action(role, "package_update", {**dataset, "title": "Data, updated"})
        self.action(role, "package_patch", {"id": updated["id"], "version": "2.0"})
        resource = self.action(role, "resource_create", {"package_id": dataset["name"], "url": "http://example.org/b",
                                                         "format": "JSON", "spatial_extent": "x"})
        self.action(role, "resource_update", {"id": resource["id"], "url": "http://example.org/c", "format": "XML"})
        self.action(role, "resource_patch", {"id": resource["id"], "description": "patched"})
        relationship = {"subject": dataset["name"], "object": other["name"], "type": "depends_on"}
        self.action(role, "package_relationship_create", {**relationship, "comment": "first"})
        self.action(role, "package_relationship_update", {**relationship, "comment": "second"})
        self.action(role, "package_relationship_delete", relationship)
        self.action(role, "rating_create", {"package": dataset["name"], "rating": 4})
        self.action(role, "group_update", {"id": group["id"], "name": group["name"], "title": "Group, updated",
                                           "packages": [{"name": dataset["name"]}]})
        self.action(role, "group_patch", {"id": group["id"], "description": "patched"})
        self.action(role, "user_role_update", {"domain_object": dataset["name"], "user": other_name,
                                               "roles": ["editor"]})
        self.action(role, "user_role_bulk_update", {"domain_object": dataset["name"],
                                                    "user_roles": [{"user": other_name, "roles": ["reader"]}]})
        self.action(role, "make_latest_pending_package_active", {"id": dataset["name"]})
        self.action(role, "user_create", {"name": n("person"), "email": f"{n('person')}@example.org",
                                          "password": "secret-1"})

        # The Model API's writes.
        rest_dataset = self.rest(role, "POST", "/api/rest/dataset", "package_create_rest",
                                 {"name": n("rest"), "tags": ["shared tag"], "extras": {"a": "b"}})
        self.rest(role, "PUT", f"/api/rest/dataset/{rest_dataset['name']}", "package_update_rest",
                  {"title": "REST, updated", "extras": {"a": None, "c": "d"}})
        self.rest(role, "POST", f"/api/2/rest/package/{dataset['id']}", "package_update_rest", {"notes": "v2"})
        rest_group = self.rest(role, "POST", "/api/rest/group", "group_create_rest",
                               {"name": n("rest-group"), "packages": [rest_dataset["name"]]})
        self.rest(role, "PUT", f"/api/rest/group/{rest_group['name']}", "group_update_rest", {"title": "REST group"})
        self.rest(role, "POST", "/api/rest/rating", "rating_create", {"dataset": rest_dataset["name"], "rating": 2})
        self.rest(role, "POST", f"/api/rest/dataset/{rest_dataset['name']}/child_of/{other['name']}",
                  "package_relationship_create", {"comment": "via REST"})
        self.rest(role, "PUT", f"/api/rest/dataset/{rest_dataset['name']}/child_of/{other['name']}",
                  "package_relationship_update", {"comment": "changed"})
        self.rest(role, "DELETE", f"/api/rest/dataset/{rest_dataset['name']}/child_of/{other['name']}",
                  "package_relationship_delete")
        self.rest(role, "DELETE", f"/api/rest/dataset/{rest_dataset['name']}", "package_delete")
        self.rest(role, "DELETE", f"/api/rest/group/{rest_group['name']}", "group_delete")

        self.action(role, "package_delete", {"id": other["name"]})
        self.action(role, "group_delete", {"id": group["name"]})
        if role == "sysadmin":
            self.action(role, "dataset_purge", {"id": other["name"]})
            self.action(role, "group_purge", {"id": group["name"]})
        else:
            self.action(role, "dataset_purge", {"id": other["name"]}, expect="forbidden")
            self.action(role, "group_purge", {"id": group["name"]}, expect="forbidden")

    def _refusals(self, sysadmin_name, user_name):
        """An ordinary user writing what is not theirs: a clean refusal on every surface."""
        target = self.action("sysadmin", "package_create", {"name": self.name("sysadmin", "guarded")})
        group = self.action("sysadmin", "group_create", {"name": self.name("sysadmin", "guarded-group")})
        # CKAN 1.6's default roles let any logged-in user edit: the sysadmin makes both read-only.
        for guarded in (target["name"], group["name"]):
            self.action("sysadmin", "user_role_bulk_update", {"domain_object": guarded, "user_roles": [
                {"user": "logged_in", "roles": ["reader"]}, {"user": "visitor", "roles": ["reader"]}]})
        forbidden = [
            ("package_update", {"id": target["name"], "title": "taken over"}),
            ("package_patch", {"id": target["name"], "title": "taken over"}),
            ("package_update_validate", {"id": target["name"], "name": target["name"]}),
            ("package_delete", {"id": target["name"]}),
            ("resource_create", {"package_id": target["name"], "url": "http://example.org/x"}),
            ("group_update", {"id": group["name"], "name": group["name"], "title": "taken over"}),
            ("group_patch", {"id": group["name"], "title": "taken over"}),
            ("group_delete", {"id": group["name"]}),
            ("user_role_update", {"domain_object": target["name"], "user": user_name, "roles": ["admin"]}),
            ("user_role_bulk_update", {"domain_object": target["name"],
                                       "user_roles": [{"user": user_name, "roles": ["admin"]}]}),
            ("make_latest_pending_package_active", {"id": target["name"]}),
            ("user_update", {"id": sysadmin_name, "email": "mine@example.org"}),
        ]
        for name, body in forbidden:
            self.action("other", name, body, expect="forbidden")
        self.rest("other", "PUT", f"/api/rest/dataset/{target['name']}", "package_update_rest", {"title": "x"},
                  expect="forbidden")
        self.rest("other", "DELETE", f"/api/rest/group/{group['name']}", "group_delete", expect="forbidden")
        self.action("user", "user_update", {"id": user_name, "email": f"{user_name}@example.org",
                                            "fullname": "Ordinary User"})
        self.action("sysadmin", "user_update", {"id": user_name, "email": f"{user_name}@example.org",
                                                "about": "Updated by a sysadmin"})


def succeeded(calls):
    """{(action or route label, role): how many calls succeeded} of the recorded calls."""
    table = {}
    for role, label, _status, ok in calls:
        table[(label, role)] = table.get((label, role), 0) + (1 if ok else 0)
    return table
