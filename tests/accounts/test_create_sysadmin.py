"""manage.py create_sysadmin: creates or promotes, and prints the API key last."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("create_sysadmin", *args, stdout=out)
    return out.getvalue().splitlines()


def test_creates_a_sysadmin_and_prints_its_key_last():
    lines = run("root-admin", "--email", "root@example.org")
    user = User.objects.get(name="root-admin")
    assert user.sysadmin and user.is_active
    assert user.email == "root@example.org"
    assert lines[-1] == user.apikey
    assert not user.has_usable_password()


def test_promotes_an_existing_user_keeping_key_and_password(make_user):
    user = make_user("plain-user")
    lines = run("plain-user")
    user.refresh_from_db()
    assert user.sysadmin
    assert lines[-1] == user.apikey
    assert user.check_password("pass1234")
    assert User.objects.filter(name="plain-user").count() == 1


def test_running_twice_is_idempotent():
    first = run("twice")[-1]
    second = run("twice")[-1]
    assert first == second
    assert User.objects.filter(name="twice").count() == 1


def test_sets_password_and_apikey():
    lines = run("keyed", "--password", "s3cret-pw", "--apikey", "my-fixed-key")
    user = User.objects.get(name="keyed")
    assert lines[-1] == "my-fixed-key" == user.apikey
    assert user.check_password("s3cret-pw")


def test_reactivates_an_inactive_user(make_user):
    make_user("sleeper", is_active=False)
    run("sleeper")
    assert User.objects.get(name="sleeper").is_active


@pytest.mark.parametrize("name", ["A", "Upper", "has space", "x" * 101])
def test_invalid_names_are_refused(name):
    with pytest.raises(CommandError):
        run(name)
    assert not User.objects.filter(name=name).exists()


def test_another_users_key_is_refused(make_user):
    other = make_user("other")
    with pytest.raises(CommandError):
        run("thief", "--apikey", other.apikey)
    assert not User.objects.filter(name="thief").exists()


@pytest.mark.parametrize("key", ["", "   ", "k" * 65])
def test_bad_keys_are_refused(key):
    with pytest.raises(CommandError):
        run("badkey", "--apikey", key)
