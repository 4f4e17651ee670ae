"""Helpers for the group, tag, user and role action tests: HTTP calls and factories through actions."""
import json
import os

from catalog.logic import new_context
from tests.catalog.logic.factories import call


def post(client, action, data=None, user=None):
    """POST `data` to /api/action/<action> as `user` (by API key); the decoded envelope."""
    headers = {"HTTP_AUTHORIZATION": user.apikey} if user is not None else {}
    response = client.post(
        f"/api/action/{action}", data=json.dumps(data or {}), content_type="application/json", **headers
    )
    assert response.status_code == 200, response.content
    return response.json()


def result(client, action, data=None, user=None):
    """The result of a successful action call over HTTP."""
    body = post(client, action, data, user)
    assert body["success"] is True, body
    return body["result"]


def error(client, action, data=None, user=None, error_type=None):
    """The error of a failed action call over HTTP, checked to be of `error_type`."""
    body = post(client, action, data, user)
    assert body["success"] is False, body
    if error_type:
        assert body["error"]["__type"] == error_type, body
    return body["error"]


def unique(prefix):
    return f"{prefix}-{os.urandom(4).hex()}"


def group(user, **fields):
    """A new group created by `user` through group_create."""
    fields.setdefault("name", unique("grp"))
    return call("group_create", user, fields)


def user(creator, **fields):
    """A new user created by `creator` (a sysadmin) through user_create; the accounts.User."""
    from accounts.models import User

    fields.setdefault("name", unique("user"))
    fields.setdefault("email", f"{fields['name']}@example.com")
    fields.setdefault("password", "secret-pw")
    created = call("user_create", creator, fields)
    return User.objects.get(pk=created["id"])


def rest_context(user, api_version):
    return new_context(user=user, api_version=api_version)
