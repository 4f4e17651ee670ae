"""The action registry: every public function of the action modules, by name.

Helpers in those modules start with `_`. Two actions with the same name are
an error at start-up. Calling through `get_action` also checks, when
CKAN_AUDIT_AUTH is on (the tests), that the action called `check_access`
under its own name.
"""
import functools
import importlib
import inspect

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ACTION_MODULES = [
    "catalog.logic.action.get",
    "catalog.logic.action.create",
    "catalog.logic.action.update",
    "catalog.logic.action.delete",
    "searchapi.logic",
]

# Modules whose actions only read: they also answer GET on the Action API.
READ_ONLY_MODULES = {"catalog.logic.action.get", "searchapi.logic"}

_registry = {}
_read_only = set()


def _load():
    registry, read_only = {}, set()
    for module_name in ACTION_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module_name:
                continue
            if name in registry:
                raise ImproperlyConfigured(
                    f"Action {name!r} is defined in {registry[name].__module__} and {module_name}"
                )
            registry[name] = function
            if module_name in READ_ONLY_MODULES:
                read_only.add(name)
    return registry, read_only


def _ensure_loaded():
    if not _registry:
        registry, read_only = _load()
        _registry.update(registry)
        _read_only.update(read_only)


def action_names():
    _ensure_loaded()
    return sorted(_registry)


def is_read_only(name):
    _ensure_loaded()
    return name in _read_only


def get_action(name):
    """The action called `name`, wrapped to audit its access check; KeyError if unknown."""
    _ensure_loaded()
    function = _registry[name]

    @functools.wraps(function)
    def call(context, data_dict=None):
        data_dict = {} if data_dict is None else data_dict
        result = function(context, data_dict)
        if getattr(settings, "CKAN_AUDIT_AUTH", False) and not context.get("ignore_auth"):
            if name not in context.get("__auth_audit", ()):
                raise RuntimeError(f"Action {name} returned without calling check_access({name!r})")
        return result

    return call


_help_texts = {}


def help_text(name):
    _ensure_loaded()
    if name not in _help_texts:
        _help_texts[name] = inspect.getdoc(_registry[name]) or ""
    return _help_texts[name]
