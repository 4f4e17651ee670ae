"""Model API revisions: a dataset's revisions, the register and the entity; licenses."""
import pytest

from tests.querycount import counted

pytestmark = pytest.mark.django_db


def test_dataset_revisions_grow_newest_first(api, alice):
    dataset = api.create_dataset(alice)
    before = api.get(f"/api/rest/dataset/{dataset['name']}/revisions").json()
    api.put(f"/api/rest/dataset/{dataset['name']}", {"title": "Again"}, alice)
    after = api.get(f"/api/rest/dataset/{dataset['name']}/revisions").json()
    assert len(after) == len(before) + 1
    assert {"id", "message", "author", "timestamp"} <= set(after[0])
    assert after[0]["author"] == alice.name


def test_register_and_entity(api, alice):
    dataset = api.create_dataset(alice)
    second = api.put(f"/api/rest/dataset/{dataset['name']}", {"title": "2"}, alice).json()["revision_id"]
    listing = api.get("/api/rest/revision").json()
    assert listing.index(second) < listing.index(dataset["revision_id"])
    v1 = api.get(f"/api/rest/revision/{second}").json()
    v2 = api.get(f"/api/2/rest/revision/{second}").json()
    assert v1["author"] == alice.name
    assert dataset["name"] in v1.get("packages", v1.get("datasets"))
    assert dataset["id"] in v2.get("packages", v2.get("datasets"))


def test_unknown_is_404(api):
    assert api.get("/api/rest/revision/no-such-revision").status_code == 404
    assert api.get("/api/rest/dataset/no-such-dataset/revisions").status_code == 404


def test_revision_query_counts_are_fixed_whatever_their_number(api, alice):
    dataset = api.create_dataset(alice)
    revisions = [dataset["revision_id"]]

    def edit(i):
        revisions.append(api.put(f"/api/rest/dataset/{dataset['name']}", {"title": str(i)}, alice).json()["revision_id"])

    def read():
        of_dataset = counted(lambda: api.get(f"/api/rest/dataset/{dataset['name']}/revisions"))
        register = counted(lambda: api.get("/api/rest/revision"))
        assert [r["id"] for r in of_dataset[1].json()] == revisions[::-1]  # newest first
        assert register[1].json()[:len(revisions)] == revisions[::-1]
        return of_dataset[0], register[0]

    edit(0)
    few = read()
    for i in range(1, 12):
        edit(i)
    many = read()
    assert few == many and max(many) <= 5, (few, many)


@pytest.mark.parametrize("base", ["/api/rest", "/api/2/rest"])
def test_licenses(api, base):
    licenses = api.get(f"{base}/licenses").json()
    assert licenses and all(isinstance(lic["is_okd_compliant"], bool) and lic["title"] for lic in licenses)
