"""The action layer: every operation on the catalog is an action.

An action is a plain function `<entity>_<verb>(context, data_dict)`. It calls
`check_access` under its own name first, validates, writes inside one
revision, and returns plain data. `context` carries:

- `user`: the acting user (Django user or AnonymousUser);
- `ip`: the client's address (the author of anonymous revisions);
- `api_version`: 1 or 2 for the REST representations, 3 otherwise;
- `message`: the revision message, if any;
- `invalid_api_key`: the request carried a key that matches no user. It is
  served as anonymous where an anonymous visitor may act (reads), and
  refused by `check_access` everywhere else (every write).
"""
from django.contrib.auth.models import AnonymousUser

from catalog.logic import registry
from catalog.logic.errors import NotAuthorized, ValidationError


def new_context(user=None, **extra):
    """A context for calling actions from Python (commands, tests, other actions)."""
    context = {"user": user or AnonymousUser(), "ip": "", "api_version": 3}
    context.update(extra)
    return context


def get_auth_function(name):
    """The auth function guarding action `name` (catalog.logic.registry); KeyError if none."""
    return registry.get_auth_function(name)


def check_access(name, context, data_dict):
    """Raise NotAuthorized unless the context's user may run action `name`.

    The auth function of the same name returns `{"success": bool, "msg": str}`.
    """
    context["__auth_audit"] = context.get("__auth_audit", set()) | {name}
    if context.get("ignore_auth"):
        return True
    result = get_auth_function(name)(context, data_dict or {})
    if not result.get("success"):
        raise NotAuthorized(result.get("msg") or f"User not authorized to {name}")
    if context.get("invalid_api_key") and not registry.is_read_only(name):
        # A key matching no user may read what a visitor may read, never write,
        # even where visitors may write: the refusal says no more than a visitor's would.
        raise NotAuthorized(f"User not authorized to {name}")
    return True


def get_or_bust(data_dict, keys):
    """The value(s) of required key(s); a missing one is a ValidationError naming it."""
    single = isinstance(keys, str)
    names = [keys] if single else list(keys)
    missing = {k: ["Missing value"] for k in names if data_dict.get(k) in (None, "")}
    if missing:
        raise ValidationError(missing)
    values = [data_dict[k] for k in names]
    return values[0] if single else values


def is_sysadmin(user):
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.sysadmin)
