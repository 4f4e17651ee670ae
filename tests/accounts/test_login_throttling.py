"""Password guessing on the login pages is throttled (django-axes): after
AXES_FAILURE_LIMIT wrong passwords for one user name from one address, even the
right password is refused for a while."""
import pytest

pytestmark = pytest.mark.django_db

LOGIN_PAGES = ["/user/login", "/admin/login/"]


@pytest.fixture
def victim(make_user):
    return make_user("victim", sysadmin=True)


def _login(client, path, password, name="victim", ip="10.0.0.1"):
    return client.post(path, {"username": name, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.parametrize("path", LOGIN_PAGES)
def test_right_password_is_refused_after_too_many_wrong_ones(client, victim, settings, path):
    assert settings.AXES_FAILURE_LIMIT == 10
    for _ in range(10):
        resp = _login(client, path, "wrong")
        assert resp.status_code in (200, 429)
    resp = _login(client, path, "pass1234")
    assert resp.status_code == 429
    assert "Too many failed logins" in resp.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("path", LOGIN_PAGES)
def test_a_few_wrong_passwords_then_the_right_one_logs_in(client, victim, path):
    for _ in range(9):
        assert _login(client, path, "wrong").status_code == 200
    resp = _login(client, path, "pass1234")
    assert resp.status_code == 302
    assert client.session["_auth_user_id"] == str(victim.pk)


def test_the_lockout_is_per_user_name_and_address(client, victim, make_user):
    make_user("bystander")
    for _ in range(10):
        _login(client, "/user/login", "wrong")
    assert _login(client, "/user/login", "pass1234").status_code == 429
    assert _login(client, "/user/login", "pass1234", ip="10.0.0.2").status_code == 302
    client.logout()
    assert _login(client, "/user/login", "pass1234", name="bystander").status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, victim, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt

    for _ in range(10):
        _login(client, "/user/login", "wrong")
    assert _login(client, "/user/login", "pass1234").status_code == 429
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=16))
    assert _login(client, "/user/login", "pass1234").status_code == 302


def test_the_api_key_still_works_for_a_locked_out_user(client, victim):
    for _ in range(10):
        _login(client, "/user/login", "wrong")
    resp = client.post("/api/action/package_create", {"name": "still-works"}, content_type="application/json",
                       HTTP_AUTHORIZATION=victim.apikey)
    assert resp.status_code == 200 and resp.json()["success"] is True
