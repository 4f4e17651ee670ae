"""An HTTP helper for the Model API tests: JSON bodies, an API key per call."""
import json
import uuid
from urllib.parse import quote

import pytest


def unique(prefix="ds"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


class Api:
    """Django's test client, speaking JSON with an optional API key."""

    def __init__(self, client):
        self.client = client

    def _headers(self, user):
        return {"HTTP_AUTHORIZATION": user.apikey} if user is not None else {}

    def get(self, path, user=None, **params):
        return self.client.get(path, params, **self._headers(user))

    def send(self, method, path, data, user=None, content_type="application/json"):
        body = data if isinstance(data, (str, bytes)) else json.dumps(data)
        return getattr(self.client, method)(path, data=body, content_type=content_type, **self._headers(user))

    def post(self, path, data, user=None, **kwargs):
        return self.send("post", path, data, user, **kwargs)

    def put(self, path, data, user=None, **kwargs):
        return self.send("put", path, data, user, **kwargs)

    def delete(self, path, user=None):
        return self.client.delete(path, **self._headers(user))

    def create_dataset(self, user, base="/api/rest", **fields):
        fields.setdefault("name", unique())
        resp = self.post(f"{base}/dataset", fields, user)
        assert resp.status_code == 201, resp.content
        return resp.json()

    def create_group(self, user, base="/api/rest", **fields):
        fields.setdefault("name", unique("grp"))
        resp = self.post(f"{base}/group", fields, user)
        assert resp.status_code == 201, resp.content
        return resp.json()


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def alice(make_user):
    return make_user()


@pytest.fixture
def bob(make_user):
    return make_user()


def seg(value):
    return quote(str(value), safe="")
