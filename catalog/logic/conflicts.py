"""Turning a lost race on a unique name into the validation error the check would have given."""
from contextlib import contextmanager

from django.db import IntegrityError

from catalog.logic.errors import ValidationError


@contextmanager
def name_taken_on_conflict(message):
    """Wrap a write whose name was checked free: if another request took it meanwhile, say so.

    Use outside the write's transaction, which the IntegrityError has already rolled back.
    """
    try:
        yield
    except IntegrityError:
        raise ValidationError({"name": [message]}) from None
