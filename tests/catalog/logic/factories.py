"""Datasets built through the actions, so they carry revisions and roles like real data."""
import os

from catalog.logic import new_context
from catalog.logic.registry import get_action


def call(action, user=None, data=None, **fields):
    """Run `action` as `user` (anonymous when None) on `data` and/or keyword fields."""
    return get_action(action)(new_context(user=user), {**(data or {}), **fields})


def dataset(user, **fields):
    """A new dataset created by `user` through package_create."""
    fields.setdefault("name", "ds-" + os.urandom(4).hex())
    return call("package_create", user, fields)


def resource(tag, **extra):
    data = {"url": f"http://example.com/{tag}.csv", "format": "CSV", "description": f"Resource {tag}"}
    data.update(extra)
    return data
