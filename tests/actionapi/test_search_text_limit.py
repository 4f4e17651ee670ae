"""Search and autocomplete text is bounded: an over-long one is a Validation Error naming
the field, never a database error (SQLite refuses LIKE patterns over 50,000 bytes: a 503)."""
import json

import pytest
from django.test import Client

from catalog.logic.params import SEARCH_TEXT_MAX_LENGTH

pytestmark = pytest.mark.django_db

CASES = [
    ("tag_search", "query"), ("tag_search", "q"), ("tag_list", "q"), ("tag_autocomplete", "q"),
    ("user_list", "q"), ("user_autocomplete", "q"), ("package_autocomplete", "q"), ("format_autocomplete", "q"),
]


@pytest.mark.parametrize("action, field", CASES)
def test_over_long_search_text_is_refused_by_name(sysadmin, action, field):
    client = Client(HTTP_AUTHORIZATION=sysadmin.apikey)
    too_long = "a" * (SEARCH_TEXT_MAX_LENGTH + 1)
    response = client.post(f"/api/3/action/{action}", json.dumps({field: too_long}), content_type="application/json")
    error = response.json()["error"]
    assert error["__type"] == "Validation Error" and field in error, response.content[:300]
    longest = client.post(f"/api/3/action/{action}", json.dumps({field: too_long[1:]}),
                          content_type="application/json")
    assert longest.json()["success"] is True


def test_a_pattern_sqlite_cannot_run_is_a_validation_error(sysadmin):
    # 100,000 characters once reached the database and came back as "LIKE or GLOB pattern too complex".
    client = Client(HTTP_AUTHORIZATION=sysadmin.apikey)
    response = client.post("/api/3/action/user_list", json.dumps({"q": "%" * 100_000}),
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["error"]["__type"] == "Validation Error"
