"""user_generate_apikey and user_sysadmin_update (catalog/logic/action/update.py), over HTTP.

The admin's "reset API key" and "make sysadmin" actions call these, so the
rules here are the admin's too.
"""
import pytest

from tests.catalog.logic.action.groups_users_support import error, result

pytestmark = pytest.mark.django_db


def test_a_user_replaces_their_own_key_and_the_old_one_stops_working(client, make_user):
    user = make_user()
    old = user.apikey
    shown = result(client, "user_generate_apikey", {"id": user.name}, user)
    assert shown["apikey"] not in (old, None)
    user.refresh_from_db()
    assert user.apikey == shown["apikey"]
    error(client, "user_generate_apikey", {"id": user.name}, type(user)(apikey=old), "Authorization Error")
    assert result(client, "user_show", {"id": user.name}, user)["apikey"] == shown["apikey"]


def test_a_sysadmin_resets_anyones_key_but_others_may_not(client, sysadmin, make_user):
    user, other = make_user(), make_user()
    error(client, "user_generate_apikey", {"id": user.name}, other, "Authorization Error")
    error(client, "user_generate_apikey", {"id": user.name}, None, "Authorization Error")
    assert result(client, "user_generate_apikey", {"id": user.id.hex}, sysadmin)["name"] == user.name
    error(client, "user_generate_apikey", {"id": "no-such-user"}, sysadmin, "Not Found Error")


def test_only_a_sysadmin_grants_and_withdraws_sysadmin(client, sysadmin, make_user):
    user = make_user(is_active=False)
    err = error(client, "user_sysadmin_update", {"id": user.name, "sysadmin": True}, make_user(), "Authorization Error")
    assert "sysadmin" in err["message"]
    assert result(client, "user_sysadmin_update", {"id": user.name, "sysadmin": True}, sysadmin)["sysadmin"] is True
    user.refresh_from_db()
    assert user.sysadmin and user.is_active
    assert result(client, "user_sysadmin_update", {"id": user.name, "sysadmin": False}, sysadmin)["sysadmin"] is False
    user.refresh_from_db()
    assert not user.sysadmin


@pytest.mark.parametrize("value", [None, "yes", 1, [], {}])
def test_sysadmin_must_be_a_boolean(client, sysadmin, make_user, value):
    user = make_user()
    data = {"id": user.name} if value is None else {"id": user.name, "sysadmin": value}
    err = error(client, "user_sysadmin_update", data, sysadmin, "Validation Error")
    assert err["sysadmin"] == ["Must be true or false"]
    user.refresh_from_db()
    assert not user.sysadmin
