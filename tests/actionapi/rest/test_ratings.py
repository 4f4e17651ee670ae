"""Model API rating register, over HTTP."""
import pytest

pytestmark = pytest.mark.django_db


def ratings(api, dataset):
    got = api.get(f"/api/rest/dataset/{dataset['name']}").json()
    return got["ratings_count"], got["ratings_average"]


@pytest.mark.parametrize("key", ["package", "dataset"])
def test_rating_is_201_and_counted(api, alice, key):
    dataset = api.create_dataset(alice)
    assert api.post("/api/rest/rating", {key: dataset["name"], "rating": 4}, alice).status_code == 201
    assert ratings(api, dataset) == (1, 4.0)


def test_re_rating_replaces_and_users_are_averaged(api, alice, bob):
    dataset = api.create_dataset(alice)
    api.post("/api/rest/rating", {"package": dataset["name"], "rating": 5}, alice)
    api.post("/api/rest/rating", {"package": dataset["name"], "rating": 1}, alice)
    api.post("/api/rest/rating", {"package": dataset["name"], "rating": 5}, bob)
    assert ratings(api, dataset) == (2, 3.0)


@pytest.mark.parametrize("value", [0, 6, "x"])
def test_out_of_range_is_409(api, alice, value):
    dataset = api.create_dataset(alice)
    assert api.post("/api/rest/rating", {"package": dataset["name"], "rating": value}, alice).status_code == 409
    assert ratings(api, dataset)[0] == 0


def test_without_a_key_is_403(api, alice):
    dataset = api.create_dataset(alice)
    assert api.post("/api/rest/rating", {"package": dataset["name"], "rating": 3}).status_code == 403
