"""load_demo_data builds a small catalog through the actions, groups included."""
from io import StringIO

import pytest
from django.core.management import call_command

from catalog.models import Group, Member, Package

pytestmark = pytest.mark.django_db


def test_demo_data_puts_datasets_of_several_owners_into_groups():
    out = StringIO()
    call_command("load_demo_data", "--count", "12", stdout=out)
    assert "Loaded 12 datasets" in out.getvalue()
    assert Package.objects.count() == 12 and Group.objects.count() == 4
    assert Member.objects.filter(state="active").exists()
