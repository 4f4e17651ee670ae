"""A user's own page: change the password, reset the API key (CSRF-protected POST forms)."""
import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _create_dataset(client, key, name):
    return client.post("/api/action/package_create", json.dumps({"name": name}), content_type="application/json",
                       HTTP_AUTHORIZATION=key)


@pytest.fixture
def owner(make_user):
    return make_user("owner-" + "x", email="owner@example.org")


@pytest.fixture
def logged_in(client, owner):
    client.force_login(owner)
    return client


def test_the_owner_sees_both_forms_others_see_neither(logged_in, owner, make_user):
    page = logged_in.get(f"/user/{owner.name}").content.decode()
    assert 'id="password-form"' in page and 'id="apikey-reset-form"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    stranger = Client()
    stranger.force_login(make_user("stranger"))
    page = stranger.get(f"/user/{owner.name}").content.decode()
    assert 'id="password-form"' not in page and 'id="apikey-reset-form"' not in page


def test_reset_api_key_the_old_key_stops_at_once(logged_in, owner):
    old_key = owner.apikey
    assert _create_dataset(logged_in, old_key, "before-reset").json()["success"] is True

    resp = logged_in.post(f"/user/{owner.name}/api-key")
    assert resp.status_code == 302 and resp["Location"] == f"/user/{owner.name}"
    owner.refresh_from_db()
    new_key = owner.apikey
    assert new_key != old_key
    assert new_key in logged_in.get(f"/user/{owner.name}").content.decode()

    refused = _create_dataset(logged_in, old_key, "with-old-key").json()
    assert refused["success"] is False and refused["error"]["__type"] == "Authorization Error"
    assert _create_dataset(logged_in, new_key, "with-new-key").json()["success"] is True


def test_only_the_user_and_sysadmins_may_reset_a_key(owner, make_user, sysadmin):
    old_key = owner.apikey
    stranger = Client()
    stranger.force_login(make_user("stranger"))
    assert stranger.post(f"/user/{owner.name}/api-key").status_code == 403
    assert Client().post(f"/user/{owner.name}/api-key").status_code == 403
    owner.refresh_from_db()
    assert owner.apikey == old_key

    admin = Client()
    admin.force_login(sysadmin)
    assert admin.post(f"/user/{owner.name}/api-key").status_code == 302
    owner.refresh_from_db()
    assert owner.apikey != old_key


def test_the_reset_form_needs_the_csrf_token_and_a_post(owner):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    assert browser.post(f"/user/{owner.name}/api-key").status_code == 403
    assert browser.get(f"/user/{owner.name}/api-key").status_code == 405
    owner.refresh_from_db()
    old_key = owner.apikey
    page = browser.get(f"/user/{owner.name}")
    token = page.cookies["csrftoken"].value
    assert browser.post(f"/user/{owner.name}/api-key", {"csrfmiddlewaretoken": token}).status_code == 302
    owner.refresh_from_db()
    assert owner.apikey != old_key


def test_the_action_over_the_api(owner, make_user, client):
    old_key = owner.apikey
    answer = client.post("/api/action/user_generate_apikey", json.dumps({"id": owner.name}),
                         content_type="application/json", HTTP_AUTHORIZATION=old_key).json()
    assert answer["success"] is True and answer["result"]["apikey"] not in ("", old_key)
    stranger_key = make_user("stranger").apikey
    refused = client.post("/api/action/user_generate_apikey", json.dumps({"id": owner.name}),
                          content_type="application/json", HTTP_AUTHORIZATION=stranger_key).json()
    assert refused["success"] is False and refused["error"]["__type"] == "Authorization Error"


def _change(client, name, old, new1, new2=None):
    return client.post(f"/user/{name}/password",
                       {"old_password": old, "new_password1": new1, "new_password2": new2 or new1})


def test_change_password_keeps_the_session(logged_in, owner):
    resp = _change(logged_in, owner.name, "pass1234", "a-much-longer-secret-9")
    assert resp.status_code == 302 and resp["Location"] == f"/user/{owner.name}"
    owner.refresh_from_db()
    assert owner.check_password("a-much-longer-secret-9") and not owner.check_password("pass1234")
    # still logged in: the profile shows the private fields
    assert 'id="apikey"' in logged_in.get(f"/user/{owner.name}").content.decode()
    fresh = Client()
    assert fresh.post("/user/login", {"username": owner.name, "password": "a-much-longer-secret-9"}).status_code == 302


@pytest.mark.parametrize("old, new1, new2, field, words", [
    ("wrong-old-pass", "a-much-longer-secret-9", None, "old_password", "incorrectly"),
    ("pass1234", "short", None, "new_password2", "too short"),
    ("pass1234", "password", None, "new_password2", "too common"),
    ("pass1234", "83749183749183", None, "new_password2", "entirely numeric"),
    ("pass1234", "a-much-longer-secret-9", "a-different-secret-9", "new_password2", "didn"),
])
def test_a_refused_change_names_the_field_and_keeps_the_password(logged_in, owner, old, new1, new2, field, words):
    resp = _change(logged_in, owner.name, old, new1, new2)
    assert resp.status_code == 400
    errors = resp.context["password_form"].errors
    assert field in errors and words in " ".join(errors[field])
    owner.refresh_from_db()
    assert owner.check_password("pass1234")


def test_nobody_changes_another_users_password(owner, make_user, sysadmin):
    for viewer in (make_user("stranger"), sysadmin):
        other = Client()
        other.force_login(viewer)
        assert _change(other, owner.name, "pass1234", "a-much-longer-secret-9").status_code == 403
    assert _change(Client(), owner.name, "pass1234", "a-much-longer-secret-9").status_code == 403
    owner.refresh_from_db()
    assert owner.check_password("pass1234")
