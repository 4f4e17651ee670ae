"""load_demo_data builds a small catalog through the actions, groups included, and can be run again."""
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from catalog.models import Group, Member, Package, Revision

pytestmark = pytest.mark.django_db


def load(*args):
    out = StringIO()
    call_command("load_demo_data", *args, stdout=out)
    return out.getvalue()


def test_demo_data_puts_datasets_of_several_owners_into_groups():
    out = load("--count", "12")
    assert "Loaded 12 datasets" in out
    assert Package.objects.count() == 12 and Group.objects.count() == 4
    assert Member.objects.filter(state="active").exists()


def test_demo_data_says_who_can_log_in_and_that_it_adds_a_sysadmin():
    out = load("--count", "2")
    demo_users = User.objects.filter(name__startswith="demo-").exclude(name="demo-admin")
    assert demo_users.count() == 4
    assert "password: demo-password" in out
    for user in demo_users:
        assert user.name in out and user.check_password("demo-password")
    assert "sysadmin demo-admin" in out and User.objects.get(name="demo-admin").sysadmin


def test_running_it_again_keeps_what_exists_and_adds_only_what_is_missing():
    load("--count", "5")
    revisions = Revision.objects.count()
    again = load("--count", "5")
    assert "Loaded 0 datasets (5 already there, kept), 0 new users, 0 new groups" in again
    assert Package.objects.count() == 5 and Group.objects.count() == 4
    assert Revision.objects.count() == revisions  # nothing was written again
    more = load("--count", "8")
    assert "Loaded 3 datasets (5 already there, kept)" in more
    assert Package.objects.count() == 8 and User.objects.filter(name__startswith="demo-").count() == 5
