"""Concurrent writers sharing new tags and groups all succeed (PostgreSQL).

Datasets share Tag rows, created on first use under a unique name, and
Group rows their memberships point to. Two writers that create the same
new tags in opposite orders each wait for the other's row: PostgreSQL
breaks the deadlock by aborting one, and that write was lost as a 503.
Shared rows are now created in one order (by name), and a write that still
meets a deadlock or serialization failure is retried whole (the registry's
get_action), so every call here must succeed and every dataset must end as
its last write left it.
"""
import os
import random
import threading

import pytest
from django.db import connection, connections

from catalog.logic import new_context
from catalog.logic.registry import get_action
from tests.conftest import in_threads, needs

pytestmark = [
    pytest.mark.postgres,
    needs(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "set DATABASE_URL: SQLite has a single writer, so its writes cannot deadlock",
    ),
]

WRITERS = 8
ROUNDS = 5  # the first creates the datasets, the others update them
POOL = 8  # fresh tag names per round, of which each write takes TAGS
TAGS = 6


def _run_concurrently(functions):
    """Run the functions in threads (each with its own connection), released together; their errors."""
    barrier = threading.Barrier(len(functions))
    errors = []

    def run(function):
        try:
            barrier.wait()
            function()
        except Exception as exc:  # noqa: BLE001 - every failure is reported by the test
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = in_threads(run, [(function,) for function in functions], timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_with_overlapping_new_tags_and_groups_all_succeed(sysadmin, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    token = os.urandom(3).hex()
    context = lambda: new_context(user=sysadmin)  # noqa: E731
    groups = [get_action("group_create")(context(), {"name": f"cw-{token}-g{i}"})["name"] for i in range(3)]
    names = [f"cw-{token}-ds{i}" for i in range(WRITERS)]
    last_write = {}
    failures = []

    for round_number in range(ROUNDS):
        pool = [f"cw-{token}-r{round_number}-t{i}" for i in range(POOL)]

        def write(name, round_number=round_number, pool=pool):
            tags = random.sample(pool, TAGS)  # a random order: the one a client happens to send
            member_of = random.sample(groups, 2)
            data = {"name": name, "tags": [{"name": tag} for tag in tags],
                    "groups": [{"name": group} for group in member_of]}
            action = "package_create" if round_number == 0 else "package_update"
            if action == "package_update":
                data["id"] = name
            get_action(action)(context(), data)
            last_write[name] = (set(tags), set(member_of))

        errors = _run_concurrently([lambda name=name: write(name) for name in names])
        failures += [f"round {round_number}: {error}" for error in errors]

    print(f"{len(failures)} of {WRITERS * ROUNDS} writes failed", *failures[:10], sep="\n  ")
    assert not failures, f"{len(failures)} of {WRITERS * ROUNDS} concurrent writes failed"
    for name in names:
        shown = get_action("package_show")(context(), {"id": name})
        assert {tag["name"] for tag in shown["tags"]} == last_write[name][0], name
        assert {group["name"] for group in shown["groups"]} == last_write[name][1], name


@pytest.mark.django_db(transaction=True)
def test_a_write_that_meets_a_real_deadlock_is_retried_whole(monkeypatch, caplog):
    """Two writers locking two rows in opposite orders: PostgreSQL aborts one, get_action runs it again."""
    from django.db import transaction

    from catalog.logic import registry
    from catalog.models import Tag

    first, second = (Tag.objects.create(name=f"deadlock-{os.urandom(3).hex()}") for _ in range(2))
    both_hold_one = threading.Barrier(2, timeout=10)
    attempts = []

    def lock_in_order(context, data_dict):
        attempts.append(data_dict["order"])
        with transaction.atomic():
            rows = [first, second] if data_dict["order"] == "forward" else [second, first]
            Tag.objects.select_for_update().get(pk=rows[0].pk)
            if attempts.count(data_dict["order"]) == 1:
                both_hold_one.wait()  # the first attempts hold one row each: then each asks for the other's
            Tag.objects.select_for_update().get(pk=rows[1].pk)
        return data_dict["order"]

    monkeypatch.setitem(registry._actions, "lock_in_order", lock_in_order)
    results = []
    calls = [
        lambda order=order: results.append(registry.get_action("lock_in_order")({"ignore_auth": True}, {"order": order}))
        for order in ("forward", "backward")
    ]
    with caplog.at_level("WARNING", logger="catalog.logic.registry"):
        errors = _run_concurrently(calls)
    assert not errors
    assert sorted(results) == ["backward", "forward"]
    assert len(attempts) == 3  # one of the two writers ran twice
    assert any("deadlock detected" in record.getMessage() for record in caplog.records)
