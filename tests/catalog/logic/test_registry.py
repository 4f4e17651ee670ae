"""The action registry (catalog/logic/registry.py): registration and the access audit."""
import re
import sys
import types
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

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
