"""ckanapi, the current Python client, against a live server: the dataset lifecycle and its exceptions."""
import pytest
from ckanapi import NotAuthorized, NotFound, RemoteCKAN, ValidationError

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ckan(live_server, make_user):
    with RemoteCKAN(live_server.url, apikey=make_user().apikey, user_agent="ckansite-tests") as remote:
        yield remote


def test_create_show_update_delete(ckan):
    created = ckan.action.package_create(name="via-ckanapi", title="Via ckanapi", tags=[{"name": "client"}],
                                         resources=[{"url": "http://example.com/data.csv", "format": "CSV"}])
    shown = ckan.action.package_show(id="via-ckanapi")
    assert (shown["id"], [t["name"] for t in shown["tags"]]) == (created["id"], ["client"])
    shown["title"] = "Updated through ckanapi"
    assert ckan.action.package_update(**shown)["title"] == "Updated through ckanapi"
    ckan.action.package_delete(id=created["id"])
    assert ckan.action.package_show(id=created["id"])["state"] == "deleted"


def test_error_envelopes_become_ckanapi_exceptions(ckan, live_server):
    with pytest.raises(NotFound):
        ckan.action.package_show(id="no-such-dataset")
    with pytest.raises(ValidationError) as info:
        ckan.action.package_create(name="Not A Valid Name")
    assert info.value.error_dict["name"]
    with RemoteCKAN(live_server.url, user_agent="ckansite-tests") as anonymous:
        with pytest.raises(NotAuthorized):
            anonymous.action.package_create(name="anonymous-write")
