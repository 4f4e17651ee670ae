"""The API key reset button on a user's page: a POST that runs the user_generate_apikey action.

It lives in the catalog, not in accounts, because it calls an action (accounts
imports none of the catalog); the profile page (accounts/user_read.html)
shows the form to the user and to sysadmins, and the action decides who may.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from catalog.logic import new_context
from catalog.logic.errors import NotAuthorized, NotFound
from catalog.logic.registry import get_action


@require_http_methods(["POST"])
def apikey_reset(request, name):
    """Give the user `name` a new API key (CSRF-protected form); the old key stops working at once."""
    context = new_context(user=request.user, ip=request.META.get("REMOTE_ADDR", ""))
    try:
        user = get_action("user_generate_apikey")(context, {"id": name})
    except NotFound:
        raise Http404(f"No user named {name}") from None
    except NotAuthorized as exc:
        raise PermissionDenied(str(exc)) from None
    messages.success(request, "A new API key has been made; the old one no longer works.")
    return redirect("accounts:read", name=user["name"])
