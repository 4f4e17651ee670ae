"""The invariant of the write path, as a property: derived copies always agree with the database.

Random sequences of writes go through the actions (datasets with resources,
tags, extras and groups; groups renamed, retitled, deleted; relationships;
ratings; moderated edits applied; a user who authored edits renamed). After
every step, for every dataset the machine made:

- `package_show` (answered from the stored copy) equals a fresh build from the database;
- an active dataset's `package_search` result equals its `package_show`;
- a deleted dataset is in no search result and in no other dataset's dict.

Runs on the configured engine (Whoosh in `make test`; Solr when SEARCH_URL is one),
with a bounded number of examples (CKAN_PROPERTY_EXAMPLES, default 30).
"""
import os
import secrets

import pytest
from django.test import TestCase
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test

from catalog.logic.dictization import package_dictize, package_queryset
from tests.catalog.logic.factories import call

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

EXAMPLES = int(os.environ.get("CKAN_PROPERTY_EXAMPLES", "30"))
TAGS = ["water", "air", "soil", "fire", "ice"]
REL_TYPES = ["depends_on", "child_of", "links_to", "derives_from"]


def _act(action, user, **data):
    """An action as a request runs it: its after-commit work (indexing) included."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return call(action, user, data)


def _fresh(package_id):
    return package_dictize(package_queryset().get(pk=package_id), {})


def _unique(prefix):
    return f"{prefix}-{os.urandom(4).hex()}"


class WritePath(RuleBasedStateMachine):
    """Random writes through the actions; the invariants are checked after each."""

    sysadmin = None
    moderated = None

    @initialize()
    def start(self):
        self.datasets = {}  # id -> name
        self.groups = []  # names
        self.relationships = set()  # (subject name, type, object name)
        self.author = type(self).author_user

    # ------------------------------------------------------------ datasets

    def _groups(self, choice):
        if not self.groups or choice == "none":
            return []
        return {"first": self.groups[:1], "last": self.groups[-1:], "all": self.groups}[choice]

    def _payload(self, data):
        tags, groups, n_resources, extra = data
        return {
            "title": _unique("Title"),
            "tags": [{"name": t} for t in tags],
            "groups": [{"name": g} for g in self._groups(groups)],
            "resources": [{"url": f"http://example.com/{i}.csv", "format": "CSV"} for i in range(n_resources)],
            "extras": [{"key": "k", "value": extra}] if extra else [],
        }

    dataset_data = st.tuples(
        st.lists(st.sampled_from(TAGS), max_size=3, unique=True),
        st.sampled_from(["all", "first", "last", "none"]),
        st.integers(0, 2),
        st.sampled_from(["", "x", "y"]),
    )

    @rule(data=dataset_data)
    def create_dataset(self, data):
        payload = self._payload(data)
        created = _act("package_create", self.author, name=_unique("ds"), **payload)
        self.datasets[created["id"]] = created["name"]

    @precondition(lambda self: self.datasets)
    @rule(pick=st.integers(0, 100), data=dataset_data)
    def update_dataset(self, pick, data):
        package_id = sorted(self.datasets)[pick % len(self.datasets)]
        shown = _act("package_show", self.sysadmin, id=package_id)
        payload = self._payload(data)
        _act("package_update", self.author, **{**shown, **payload, "state": "active"})

    @precondition(lambda self: self.datasets)
    @rule(pick=st.integers(0, 100))
    def delete_dataset(self, pick):
        package_id = sorted(self.datasets)[pick % len(self.datasets)]
        _act("package_delete", self.sysadmin, id=package_id)

    @precondition(lambda self: self.datasets)
    @rule(pick=st.integers(0, 100), value=st.integers(1, 5))
    def rate(self, pick, value):
        package_id = sorted(self.datasets)[pick % len(self.datasets)]
        if _act("package_show", self.sysadmin, id=package_id)["state"] == "active":
            _act("rating_create", self.author, package=package_id, rating=value)

    @precondition(lambda self: self.datasets)
    @rule(pick=st.integers(0, 100), tags=st.lists(st.sampled_from(TAGS), max_size=2, unique=True))
    def moderated_edit_then_applied(self, pick, tags):
        package_id = sorted(self.datasets)[pick % len(self.datasets)]
        if _act("package_show", self.sysadmin, id=package_id)["state"] != "active":
            return
        _act("package_update_rest", self.moderated, id=package_id, title=_unique("Proposed"), tags=tags)
        _act("make_latest_pending_package_active", self.sysadmin, id=package_id)

    # ------------------------------------------------------------ relationships

    @precondition(lambda self: len(self.datasets) >= 2)
    @rule(a=st.integers(0, 100), b=st.integers(0, 100), rel_type=st.sampled_from(REL_TYPES))
    def relate(self, a, b, rel_type):
        ids = sorted(self.datasets)
        subject, obj = ids[a % len(ids)], ids[b % len(ids)]
        if subject == obj:
            return
        _act("package_relationship_create", self.author, subject=subject, object=obj, type=rel_type)
        self.relationships.add((subject, rel_type, obj))

    @precondition(lambda self: self.relationships)
    @rule(pick=st.integers(0, 100))
    def unrelate(self, pick):
        subject, rel_type, obj = sorted(self.relationships)[pick % len(self.relationships)]
        self.relationships.discard((subject, rel_type, obj))
        try:
            _act("package_relationship_delete", self.sysadmin, subject=subject, object=obj, type=rel_type)
        except Exception as error:  # already gone with a deleted partner: fine, nothing changes
            assert type(error).__name__ == "NotFound", error

    # ------------------------------------------------------------ groups

    @rule()
    def create_group(self):
        name = _unique("grp")
        _act("group_create", self.sysadmin, name=name, title=_unique("Group"))
        self.groups.append(name)

    @precondition(lambda self: self.groups)
    @rule(pick=st.integers(0, 100), rename=st.booleans())
    def update_group(self, pick, rename):
        index = pick % len(self.groups)
        group = _act("group_show", self.sysadmin, id=self.groups[index])
        new_name = _unique("grp") if rename else group["name"]
        _act("group_update_rest", self.sysadmin, id=group["id"], name=new_name, title=_unique("Retitled"))
        self.groups[index] = new_name

    @precondition(lambda self: self.groups)
    @rule(pick=st.integers(0, 100))
    def delete_group(self, pick):
        name = self.groups.pop(pick % len(self.groups))
        _act("group_delete", self.sysadmin, id=name)

    # ------------------------------------------------------------ users

    @rule()
    def rename_author(self):
        user = self.author
        new_name = _unique("author")
        _act("user_update", self.sysadmin, id=user.name, name=new_name, email=user.email or "a@example.org")
        user.refresh_from_db()

    # ------------------------------------------------------------ the invariant

    @invariant()
    def copies_agree_with_the_database(self):
        if not getattr(self, "datasets", None):
            return
        deleted = set()
        shows = {}
        for package_id in self.datasets:
            shown = _act("package_show", self.sysadmin, id=package_id)
            assert shown == _fresh(package_id), f"stored copy of {package_id} differs from a fresh build"
            shows[package_id] = shown
            if shown["state"] != "active":
                deleted.add(package_id)
        for package_id, shown in shows.items():
            found = _act("package_search", self.sysadmin, q=f"name:{shown['name']}", rows=10)["results"]
            if package_id in deleted:
                assert found == [], f"deleted dataset {shown['name']} is still found"
            else:
                assert found == [shown], f"search result of {shown['name']} differs from package_show"
            text = repr(found) + repr(shown)
            for gone in deleted - {package_id}:
                if package_id not in deleted:
                    assert gone not in text, f"{shown['name']} still shows deleted dataset {gone}"


def test_search_show_and_fresh_builds_agree_after_any_writes(search_index, sysadmin, make_user, settings, monkeypatch):
    # Hypothesis seeds the global `random` the same way for every example, and Whoosh
    # names its segments with it: names would repeat across examples in one index.
    monkeypatch.setattr("whoosh.codec.base.random_name", lambda size=28: secrets.token_hex(size // 2))
    moderated = make_user(email="moderated@example.org")
    settings.CKAN_MODERATED_USERS = [moderated.name]
    WritePath.sysadmin = sysadmin
    WritePath.moderated = moderated
    # A sysadmin author: datasets may join any group (a user may add them only to groups they edit).
    WritePath.author_user = make_user(email="author@example.org", sysadmin=True)
    run_state_machine_as_test(
        WritePath,
        settings=settings_for_machine(),
    )


def settings_for_machine():
    return hypothesis_settings(
        max_examples=EXAMPLES,
        stateful_step_count=15,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
