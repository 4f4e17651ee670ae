"""package_delete: admins only; a deleted dataset is hidden from everyone else."""
import pytest

from catalog.logic.errors import NotAuthorized, NotFound
from tests.catalog.logic.factories import call, dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(make_user):
    return make_user()


def test_admin_deletes_and_still_reads_it(alice):
    pkg = dataset(alice)
    call("package_delete", alice, id=pkg["id"])
    assert call("package_show", alice, id=pkg["id"])["state"] == "deleted"
    assert pkg["name"] not in call("package_list", None)
    assert pkg["name"] not in [p["name"] for p in call("current_package_list_with_resources", None)]


def test_others_cannot_delete_or_read_a_deleted_dataset(alice, make_user, sysadmin):
    pkg = dataset(alice)
    bob = make_user()
    with pytest.raises(NotAuthorized):
        call("package_delete", bob, id=pkg["id"])
    call("package_delete", sysadmin, id=pkg["id"])
    for user in (None, bob):
        with pytest.raises(NotAuthorized):
            call("package_show", user, id=pkg["id"])
    assert call("package_show", sysadmin, id=pkg["id"])["state"] == "deleted"


def test_deleting_an_unknown_dataset_is_not_found(sysadmin):
    with pytest.raises(NotFound):
        call("package_delete", sysadmin, id="no-such-dataset")
