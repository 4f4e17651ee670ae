"""The action registry: the actions and auth functions the apps register, by name.

Each app registers its own modules in its `AppConfig.ready`: the catalog its
action and auth modules, an app that adds actions (search) its own. Every
public function of a registered module is an action (in an auth module, the
auth function guarding the action of the same name); helpers start with `_`.
Two actions, or two auth functions, with the same name are an error at
start-up. The actions of a module registered `read_only` only read: they
also answer GET on the Action API.

Calling through `get_action` also checks, when CKAN_AUDIT_AUTH is on (the
tests), that the action called `check_access` under its own name.
"""
import functools
import importlib
import inspect

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_actions = {}
_read_only = set()
_auth_functions = {}
_registered = set()  # (kind, module name): registering a module twice is harmless
_help_texts = {}


def _public(module, accept):
    return {
        name: value
        for name, value in vars(module).items()
        if not name.startswith("_") and accept(value) and getattr(value, "__module__", None) == module.__name__
    }


def _add(table, functions, kind):
    for name, function in functions.items():
        if name in table:
            raise ImproperlyConfigured(
                f"{kind} {name!r} is defined in {table[name].__module__} and {function.__module__}"
            )
    table.update(functions)


def register_module(module_name, *, read_only=False):
    """Register every public function of `module_name` as an action."""
    if ("action", module_name) in _registered:
        return
    functions = _public(importlib.import_module(module_name), inspect.isfunction)
    _add(_actions, functions, "Action")
    if read_only:
        _read_only.update(functions)
    _registered.add(("action", module_name))


def register_auth_module(module_name):
    """Register every public callable of `module_name` as the auth function of its name."""
    if ("auth", module_name) in _registered:
        return
    _add(_auth_functions, _public(importlib.import_module(module_name), callable), "Auth function")
    _registered.add(("auth", module_name))


def action_names():
    return sorted(_actions)


def is_read_only(name):
    return name in _read_only


def get_auth_function(name):
    try:
        return _auth_functions[name]
    except KeyError:
        raise KeyError(f"No auth function named {name!r}") from None


def help_text(name):
    if name not in _help_texts:
        _help_texts[name] = inspect.getdoc(_actions[name]) or ""
    return _help_texts[name]


def get_action(name):
    """The action called `name`, wrapped to audit its access check; KeyError if unknown."""
    function = _actions[name]

    @functools.wraps(function)
    def call(context, data_dict=None):
        data_dict = {} if data_dict is None else data_dict
        result = function(context, data_dict)
        if getattr(settings, "CKAN_AUDIT_AUTH", False) and not context.get("ignore_auth"):
            if name not in context.get("__auth_audit", ()):
                raise RuntimeError(f"Action {name} returned without calling check_access({name!r})")
        return result

    return call
