"""Counting a request's SQL queries, to show a read costs the same whatever the size of what it lists."""
from django.db import connection
from django.test.utils import CaptureQueriesContext


def counted(request):
    """(number of SQL queries `request()` made, its response), the response checked to be a 200."""
    with CaptureQueriesContext(connection) as queries:
        response = request()
    assert response.status_code == 200, response.content[:300]
    return len(queries), response
