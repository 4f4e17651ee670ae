"""The user pages: login, logout, /user/me and profiles with the API key for the right eyes only."""
import pytest

pytestmark = pytest.mark.django_db


def test_login_page_renders(client):
    resp = client.get("/user/login")
    assert resp.status_code == 200
    assert b'name="username"' in resp.content and b'name="password"' in resp.content


def test_login_by_name_and_password_goes_to_me(client, make_user):
    user = make_user("loginer")
    resp = client.post("/user/login", {"username": "loginer", "password": "pass1234"})
    assert resp.status_code == 302 and resp["Location"] == "/user/me"
    resp = client.get("/user/me")
    assert resp.status_code == 302 and resp["Location"] == f"/user/{user.name}"


def test_login_with_a_wrong_password_shows_an_error(client, make_user):
    make_user("loginer")
    resp = client.post("/user/login", {"username": "loginer", "password": "wrong"})
    assert resp.status_code == 200
    assert b"correct" in resp.content
    assert "_auth_user_id" not in client.session


def test_login_honours_next(client, make_user):
    make_user("nexter")
    resp = client.post("/user/login?next=/user/nexter", {"username": "nexter", "password": "pass1234", "next": "/user/nexter"})
    assert resp["Location"] == "/user/nexter"


def test_login_refuses_an_offsite_next(client, make_user):
    make_user("nexter")
    resp = client.post("/user/login", {"username": "nexter", "password": "pass1234", "next": "https://evil.example/"})
    assert resp["Location"] == "/user/me"


def test_me_sends_anonymous_users_to_login(client):
    resp = client.get("/user/me")
    assert resp.status_code == 302
    assert resp["Location"].startswith("/user/login")


def test_logout_by_post(client, make_user):
    user = make_user()
    client.force_login(user)
    resp = client.post("/user/logout")
    assert resp.status_code == 302 and resp["Location"] == "/user/login"
    assert "_auth_user_id" not in client.session
    assert client.get("/user/me")["Location"].startswith("/user/login")


def test_a_get_only_asks_to_confirm_so_another_site_cannot_log_you_out(client, make_user):
    user = make_user()
    client.force_login(user)
    resp = client.get("/user/logout")
    assert resp.status_code == 200
    assert b'method="post"' in resp.content and b"csrfmiddlewaretoken" in resp.content
    assert client.session.get("_auth_user_id") == str(user.pk)


def test_a_logout_post_without_the_csrf_token_is_refused():
    from django.test import Client

    from accounts.models import User

    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.create_user("csrf-user", password="pass1234"))
    assert client.post("/user/logout").status_code == 403
    assert "_auth_user_id" in client.session


def test_logout_when_not_logged_in_is_harmless(client):
    assert client.get("/user/logout").status_code == 302
    assert client.post("/user/logout").status_code == 302


def test_profile_shows_the_key_to_its_owner(client, make_user):
    user = make_user(fullname="Ann Owner", email="ann@example.org")
    client.force_login(user)
    resp = client.get(f"/user/{user.name}")
    assert resp.status_code == 200
    assert user.apikey.encode() in resp.content
    assert b"ann@example.org" in resp.content
    assert b"Ann Owner" in resp.content


def test_profile_shows_any_key_to_a_sysadmin(client, make_user, sysadmin):
    user = make_user()
    client.force_login(sysadmin)
    assert user.apikey.encode() in client.get(f"/user/{user.name}").content


def test_profile_hides_the_key_from_others(client, make_user):
    user = make_user(email="private@example.org")
    resp = client.get(f"/user/{user.name}")
    assert resp.status_code == 200
    assert user.name.encode() in resp.content
    assert user.apikey.encode() not in resp.content
    assert b"private@example.org" not in resp.content
    client.force_login(make_user())
    resp = client.get(f"/user/{user.name}")
    assert user.apikey.encode() not in resp.content


def test_profile_escapes_what_users_wrote(client, make_user):
    user = make_user(fullname="<script>alert(1)</script>", about="<b>bold</b>")
    content = client.get(f"/user/{user.name}").content
    assert b"<script>alert(1)" not in content and b"&lt;script&gt;" in content
    assert b"<b>bold</b>" not in content


@pytest.mark.parametrize("name", ["nobody", "%E2%98%83", "a" * 300])
def test_unknown_user_is_404(client, name):
    assert client.get(f"/user/{name}").status_code == 404


def test_inactive_user_is_404(client, make_user):
    user = make_user(is_active=False)
    assert client.get(f"/user/{user.name}").status_code == 404


def test_login_form_needs_csrf(make_user):
    from django.test import Client

    make_user("csrfer")
    strict = Client(enforce_csrf_checks=True)
    resp = strict.post("/user/login", {"username": "csrfer", "password": "pass1234"})
    assert resp.status_code == 403
