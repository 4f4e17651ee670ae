"""ckanapi (the current Python client) against a live server: users, groups and roles.

Its exceptions come from our error envelopes, so this pins that the
envelopes say what a real client needs (the dataset half has its own test).
"""
import pytest
from ckanapi import NotAuthorized, NotFound, RemoteCKAN, ValidationError

pytestmark = [pytest.mark.live]


@pytest.fixture
def sysadmin_key(transactional_db, django_user_model):
    return django_user_model.objects.create_user("ckanapi-sysadmin", password="pw-1234", sysadmin=True).apikey


def test_users_and_groups_through_ckanapi(live_server, sysadmin_key):
    admin = RemoteCKAN(live_server.url, apikey=sysadmin_key)
    admin.action.user_create(name="ckanapi-user", email="c@example.com", password="secret-pw")
    key = admin.action.user_show(id="ckanapi-user")["apikey"]
    user = RemoteCKAN(live_server.url, apikey=key)
    anonymous = RemoteCKAN(live_server.url)

    created = user.action.group_create(name="ckanapi-group", title="Made by ckanapi")
    assert anonymous.action.group_show(id="ckanapi-group")["title"] == "Made by ckanapi"
    assert user.action.group_update(id=created["id"], title="Renamed")["title"] == "Renamed"
    assert user.action.roles_show(domain_object="ckanapi-group", user="ckanapi-user")["roles"][0]["role"] == "admin"
    user.action.group_delete(id=created["id"])
    assert "ckanapi-group" not in anonymous.action.group_list()

    with pytest.raises(NotFound):
        anonymous.action.group_show(id="no-such-group")
    with pytest.raises(NotAuthorized):
        anonymous.action.group_create(name="anonymous-group")
    with pytest.raises(ValidationError) as raised:
        admin.action.user_create(name="x", email="", password="abc")
    assert {"name", "email", "password"} <= set(raised.value.error_dict)
