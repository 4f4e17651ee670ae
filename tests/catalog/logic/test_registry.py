"""The action registry (catalog/logic/registry.py): registration, the access audit, retried conflicts."""
import logging
import re
import sqlite3
import sys
import types
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, OperationalError

import catalog
from catalog.logic import registry


def test_catalog_refers_to_neither_actionapi_nor_searchapi():
    """Dependencies point one way: the apps built on the catalog register with it, never the reverse."""
    root = Path(catalog.__file__).parent
    offenders = []
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if not path.is_file() or "migrations" in parts or "__pycache__" in parts:
            continue
        text = path.read_bytes().decode("utf-8", errors="ignore")
        for number, line in enumerate(text.splitlines(), 1):
            if re.search(r"actionapi|searchapi", line):
                offenders.append(f"{path.relative_to(root.parent)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_apps_register_their_actions_and_auth_functions():
    names = set(registry.action_names())
    assert {"package_show", "package_create", "package_update", "package_delete"} <= names
    assert {"package_search", "resource_search"} <= names  # registered by searchapi's AppConfig
    assert registry.is_read_only("package_show") and registry.is_read_only("package_search")
    assert not registry.is_read_only("package_create")
    assert registry.get_auth_function("package_search").__module__ == "searchapi.auth"
    assert registry.get_auth_function("package_update").__module__ == "catalog.logic.auth.update"
    assert "Search the datasets" in registry.help_text("package_search")
    with pytest.raises(KeyError):
        registry.get_action("no_such_action")
    with pytest.raises(KeyError):
        registry.get_auth_function("no_such_action")


def test_every_action_has_an_auth_function():
    missing = [name for name in registry.action_names() if name not in registry._auth_functions]
    assert not missing


def test_registering_a_module_again_is_harmless():
    before = registry.action_names()
    registry.register_module("catalog.logic.action.get", read_only=True)
    registry.register_auth_module("catalog.logic.auth.get")
    assert registry.action_names() == before


@pytest.fixture
def fake_module(monkeypatch):
    def make(name, **functions):
        module = types.ModuleType(name)
        for function_name, function in functions.items():
            function.__module__ = name
            setattr(module, function_name, function)
        monkeypatch.setitem(sys.modules, name, module)
        return name

    return make


def test_an_action_name_registered_twice_is_an_error_at_start_up(fake_module):
    def package_show(context, data_dict):
        return {}

    def brand_new_action(context, data_dict):
        return {}

    name = fake_module("tests_fake_actions", package_show=package_show, brand_new_action=brand_new_action)
    with pytest.raises(ImproperlyConfigured, match="package_show"):
        registry.register_module(name)
    # Nothing of the refused module was registered.
    assert "brand_new_action" not in registry.action_names()
    assert registry.get_action("package_show").__wrapped__.__module__ == "catalog.logic.action.get"


def test_an_auth_function_registered_twice_is_an_error_at_start_up(fake_module):
    def package_search(context, data_dict):
        return {"success": True}

    name = fake_module("tests_fake_auth", package_search=package_search)
    with pytest.raises(ImproperlyConfigured, match="package_search"):
        registry.register_auth_module(name)
    assert registry.get_auth_function("package_search").__module__ == "searchapi.auth"


def test_an_action_that_skips_its_access_check_fails_the_audit(monkeypatch):
    def sloppy_action(context, data_dict):
        return "done"

    monkeypatch.setitem(registry._actions, "sloppy_action", sloppy_action)
    with pytest.raises(RuntimeError, match="without calling check_access"):
        registry.get_action("sloppy_action")({}, {})
    assert registry.get_action("sloppy_action")({"ignore_auth": True}, {}) == "done"


# --- Retried conflicts ---------------------------------------------------------------

def _django_error(cause, cls=OperationalError):
    """The error Django raises for a driver error: its own class, the driver's as __cause__."""
    try:
        raise cause
    except Exception as exc:
        try:
            raise cls(str(exc)) from exc
        except cls as wrapped:
            return wrapped


def _deadlock():
    from psycopg import errors  # psycopg is a runtime requirement: no skip without it
    return _django_error(errors.DeadlockDetected("deadlock detected"))


def _flaky(failures, result="ok"):
    """A function that raises each of `failures` in turn, then returns `result`; records its calls."""
    calls = []

    def function(context, data_dict):
        calls.append(dict(context))
        context["package"] = f"looked up by attempt {len(calls)}"
        if len(calls) <= len(failures):
            raise failures[len(calls) - 1]
        return result

    function.calls = calls
    return function


@pytest.fixture
def no_sleep(monkeypatch):
    waits = []
    monkeypatch.setattr(registry, "_sleep", waits.append)
    return waits


def test_retryable_errors_are_conflicts_the_database_resolved():
    from psycopg import errors  # psycopg is a runtime requirement: no skip without it
    assert registry.is_retryable(_django_error(errors.DeadlockDetected("deadlock detected")))
    assert registry.is_retryable(_django_error(errors.SerializationFailure("could not serialize")))
    assert not registry.is_retryable(_django_error(errors.UniqueViolation("duplicate key"), IntegrityError))
    assert not registry.is_retryable(_django_error(sqlite3.OperationalError("database is locked")))
    assert not registry.is_retryable(errors.DeadlockDetected("not wrapped by Django"))
    assert not registry.is_retryable(ValueError("no database error at all"))


def test_a_write_that_meets_a_deadlock_twice_is_run_three_times(no_sleep, caplog):
    function = _flaky([_deadlock(), _deadlock()])
    context = {"user": "alice"}
    with caplog.at_level(logging.WARNING, logger="catalog.logic.registry"):
        assert registry.call_with_retries(function, context, {}, name="package_create") == "ok"
    assert len(function.calls) == 3
    # Every attempt started from the caller's context, not from what a failed attempt left in it...
    assert function.calls == [{"user": "alice"}] * 3
    # ...and the caller sees what the attempt that succeeded left.
    assert context == {"user": "alice", "package": "looked up by attempt 3"}
    assert len(no_sleep) == 2 and all(wait >= 0 for wait in no_sleep)
    retries = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(retries) == 2 and "package_create" in retries[0].getMessage()


def test_a_non_retryable_error_is_raised_at_once(no_sleep):
    locked = _django_error(sqlite3.OperationalError("database is locked"))
    function = _flaky([locked])
    context = {}
    with pytest.raises(OperationalError, match="database is locked"):
        registry.call_with_retries(function, context, {})
    assert len(function.calls) == 1 and not no_sleep
    assert context == {"package": "looked up by attempt 1"}

    function = _flaky([ValueError("a bug")])
    with pytest.raises(ValueError):
        registry.call_with_retries(function, {}, {})
    assert len(function.calls) == 1 and not no_sleep


def test_retries_are_bounded(no_sleep):
    function = _flaky([_deadlock() for _ in range(10)])
    with pytest.raises(OperationalError):
        registry.call_with_retries(function, {}, {})
    assert len(function.calls) == registry.RETRY_ATTEMPTS == 5
    assert len(no_sleep) == 4
    assert all(0 <= wait <= registry.RETRY_BACKOFF * 2 ** i for i, wait in enumerate(no_sleep))


def test_get_action_retries_a_conflict_outside_a_transaction(monkeypatch, no_sleep):
    function = _flaky([_deadlock()])
    monkeypatch.setitem(registry._actions, "flaky_action", function)
    assert registry.get_action("flaky_action")({"ignore_auth": True}, {}) == "ok"
    assert len(function.calls) == 2


@pytest.mark.django_db
def test_get_action_does_not_retry_inside_a_callers_transaction(monkeypatch, no_sleep):
    """A test's transaction stands for a caller's: its own work would be lost, so it gets the error."""
    function = _flaky([_deadlock()])
    monkeypatch.setitem(registry._actions, "flaky_action", function)
    with pytest.raises(OperationalError):
        registry.get_action("flaky_action")({"ignore_auth": True}, {})
    assert len(function.calls) == 1
