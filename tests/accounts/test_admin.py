"""The user admin: pages load for sysadmins only, and the two actions work."""
import pytest

from accounts.models import User

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/user/"


@pytest.fixture
def admin_client(client, sysadmin):
    client.force_login(sysadmin)
    return client


def test_pages_load_for_a_sysadmin(admin_client, make_user):
    user = make_user(fullname="Findable Person")
    assert admin_client.get("/admin/").status_code == 200
    resp = admin_client.get(CHANGELIST, {"q": "Findable"})
    assert resp.status_code == 200 and user.name.encode() in resp.content
    assert admin_client.get(CHANGELIST, {"sysadmin__exact": "1"}).status_code == 200
    resp = admin_client.get(f"{CHANGELIST}{user.pk}/change/")
    assert resp.status_code == 200 and user.apikey.encode() in resp.content
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 200
    assert admin_client.get(f"{CHANGELIST}{user.pk}/password/").status_code == 200


def test_ordinary_users_and_anonymous_are_kept_out(client, make_user):
    assert client.get(CHANGELIST).status_code == 302
    client.force_login(make_user())
    assert client.get(CHANGELIST).status_code == 302


def test_a_sysadmin_logs_in_to_the_admin_by_name(client, sysadmin):
    resp = client.post("/admin/login/?next=/admin/", {"username": sysadmin.name, "password": "pass1234", "next": "/admin/"})
    assert resp.status_code == 302 and resp["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_add_a_user_with_a_password(admin_client):
    resp = admin_client.post(
        f"{CHANGELIST}add/",
        {"name": "made-in-admin", "email": "m@example.org", "usable_password": "true",
         "password1": "a-long-password-1", "password2": "a-long-password-1"},
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    user = User.objects.get(name="made-in-admin")
    assert user.check_password("a-long-password-1") and len(user.apikey) == 36


def test_edit_a_user(admin_client, make_user):
    user = make_user()
    resp = admin_client.post(
        f"{CHANGELIST}{user.pk}/change/",
        {"name": user.name, "fullname": "New Name", "email": "", "about": "", "reset_key": "",
         "is_active": "on", "created_0": "2020-01-01", "created_1": "00:00:00"},
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    user.refresh_from_db()
    assert user.fullname == "New Name"


def test_make_sysadmin_action(admin_client, make_user):
    a, b = make_user(), make_user()
    resp = admin_client.post(CHANGELIST, {"action": "make_sysadmin", "_selected_action": [a.pk, b.pk]})
    assert resp.status_code == 302
    a.refresh_from_db(), b.refresh_from_db()
    assert a.sysadmin and b.sysadmin


def test_reset_api_key_action(admin_client, make_user):
    user = make_user()
    old = user.apikey
    resp = admin_client.post(CHANGELIST, {"action": "reset_api_key", "_selected_action": [user.pk]})
    assert resp.status_code == 302
    user.refresh_from_db()
    assert user.apikey != old and len(user.apikey) == 36
    resp = admin_client.post("/api/action/package_create", data='{"name": "with-old-key"}', content_type="application/json", HTTP_AUTHORIZATION=old)
    assert resp.json()["success"] is False
