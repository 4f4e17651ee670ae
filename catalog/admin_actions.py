"""The admin's list actions call the catalog's actions: one rule, one write path, on every surface.

An admin action that changes data (mark deleted, restore, purge, reset API
key, make sysadmin) is the Action API call of the same meaning, made as the
admin user: it checks access under its own name, writes in a revision,
stores the new dicts and re-indexes, exactly as when a client calls it.
"""
import reversion
from django.contrib import messages
from django.db import transaction

from catalog.logic import new_context
from catalog.logic.errors import ActionError
from catalog.logic.registry import get_action


def run_action(request, name, data_dict):
    """Call the action `name` as the admin user."""
    context = new_context(user=request.user, ip=request.META.get("REMOTE_ADDR", ""))
    return get_action(name)(context, data_dict)


def run_for_each(modeladmin, request, queryset, name, make_data, done):
    """Run the action `name` once per selected row; report what was done and, by row, what was refused.

    The admin's list page runs in one revision (catalog.admin), so the rows
    done are one write, whose message says what was done to which. Each call
    has its own savepoint: a refused row leaves the others done.
    """
    succeeded = []
    for obj in queryset:
        try:
            with transaction.atomic():
                run_action(request, name, make_data(obj))
        except ActionError as exc:
            modeladmin.message_user(request, f"Not done for {obj}: {exc}", messages.ERROR)
        else:
            succeeded.append(str(obj))
    if succeeded:
        summary = f"{done}: {', '.join(succeeded)}"
        if reversion.is_active():
            reversion.set_comment(f"{summary} (in the admin)")
        modeladmin.message_user(request, f"{summary}.", messages.SUCCESS)
    return succeeded
