"""The action registry: the actions and auth functions the apps register, by name.

Each app registers its own modules in its `AppConfig.ready`: the catalog its
action and auth modules, an app that adds actions (search) its own. Every
public function of a registered module is an action (in an auth module, the
auth function guarding the action of the same name); helpers start with `_`.
Names with a double underscore inside are not public either: they are the
copies mutation testing (`make mutate`) generates beside each function.
Two actions, or two auth functions, with the same name are an error at
start-up. The actions of a module registered `read_only` only read: they
also answer GET on the Action API.

`get_action` wraps the action:
- a call made outside any transaction that meets a deadlock or a
  serialization failure is retried whole (see `call_with_retries`), so no
  surface answers "try again" for a conflict the database resolved by
  aborting one of the writers;
- when CKAN_AUDIT_AUTH is on (the tests), it checks that the action called
  `check_access` under its own name.
"""
import functools
import importlib
import inspect
import logging
import random
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, InterfaceError, OperationalError, transaction

log = logging.getLogger(__name__)

_actions = {}
_read_only = set()
_auth_functions = {}
_registered = set()  # (kind, module name): registering a module twice is harmless
_help_texts = {}


def _public(module, accept):
    return {
        name: value
        for name, value in vars(module).items()
        if not name.startswith("_") and "__" not in name and accept(value) and getattr(value, "__module__", None) == module.__name__
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
    """The action called `name`, wrapped to retry conflicts and audit its access check; KeyError if unknown."""
    function = _actions[name]

    def audited(context, data_dict):
        result = function(context, data_dict)
        if getattr(settings, "CKAN_AUDIT_AUTH", False) and not context.get("ignore_auth"):
            if name not in context.get("__auth_audit", ()):
                raise RuntimeError(f"Action {name} returned without calling check_access({name!r})")
        return result

    @functools.wraps(function)
    def call(context, data_dict=None):
        data_dict = {} if data_dict is None else data_dict
        if transaction.get_connection().in_atomic_block:
            # Inside a caller's transaction a retry cannot start afresh: the caller's own
            # work is aborted too. The outermost call retries.
            return audited(context, data_dict)
        if name in _read_only:
            return call_with_retries(_reconnecting(audited, name), context, data_dict, name=name)
        return call_with_retries(audited, context, data_dict, name=name)

    return call


def _reconnecting(function, name):
    """A read-only action, run once more on a fresh connection if its connection was lost.

    A kept connection (CONN_MAX_AGE) that PostgreSQL ended (a restart) fails
    on first use. Django's health check (CONN_HEALTH_CHECKS) catches that at
    the start of a request; this catches a connection lost during one. Only
    reads are retried: a write whose commit was cut off may have happened.
    """

    def call(context, data_dict):
        try:
            return function(context, data_dict)
        except (OperationalError, InterfaceError) as exc:
            conn = transaction.get_connection()
            if conn.in_atomic_block or conn.is_usable():
                raise
            log.warning("Action %s lost its database connection, retrying once on a new one: %s", name, exc)
            conn.close()
            return function(context, data_dict)

    return call


# --- Retrying writes that lost a conflict -------------------------------------------

RETRY_ATTEMPTS = 5
RETRY_BACKOFF = 0.05  # seconds: the first wait is up to this, each next one up to twice as long
# PostgreSQL's serialization_failure and deadlock_detected: the transaction was aborted
# only to break a conflict with another one, and succeeds if run again.
RETRYABLE_SQLSTATES = {"40001", "40P01"}
_sleep = time.sleep  # replaced in tests


def is_retryable(exc):
    """Did the database abort this write only to resolve a conflict (deadlock, serialization failure)?

    Django raises its own DatabaseError with the driver's error as `__cause__`;
    psycopg's errors carry the SQLSTATE (`sqlstate`, psycopg2's `pgcode`).
    SQLite's "database is locked" has none: it is not retried here (the
    connection's timeout already waits for the lock).
    """
    if not isinstance(exc, DatabaseError):
        return False
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if getattr(exc, "sqlstate", None) in RETRYABLE_SQLSTATES or getattr(exc, "pgcode", None) in RETRYABLE_SQLSTATES:
            return True
        exc = exc.__cause__
    return False


def call_with_retries(function, context, data_dict, *, name="", attempts=None):
    """`function(context, data_dict)`, run again whole (up to `attempts` times) when it meets a conflict.

    Safe because a write is one transaction (catalog.revisions): a deadlock or
    serialization failure rolls all of it back, and what the action did
    after commit only reads. Each attempt gets a fresh shallow copy of
    `context`, so nothing a failed attempt put there (context["package"],
    context["group"], the access audit) leaks into the next; the caller's
    context ends as the last attempt left it, as if only that one had run.
    Actions never change `data_dict` (they validate it into a new dict), so
    every attempt gets the same one. Between attempts it waits a random
    time, doubling its bound each time, so writers that collided do not
    collide again in step.
    """
    attempts = attempts or RETRY_ATTEMPTS
    for attempt in range(1, attempts + 1):
        attempt_context = dict(context)
        retrying = False
        try:
            return function(attempt_context, data_dict)
        except DatabaseError as exc:
            if attempt < attempts and is_retryable(exc):
                retrying = True
                wait = random.uniform(0, RETRY_BACKOFF * 2 ** (attempt - 1))
                log.warning(
                    "Action %s met a database conflict (attempt %d of %d), retrying in %.3fs: %s",
                    name or getattr(function, "__name__", function), attempt, attempts, wait, exc,
                )
                _sleep(wait)
                continue
            raise
        finally:
            if not retrying:
                context.clear()
                context.update(attempt_context)
