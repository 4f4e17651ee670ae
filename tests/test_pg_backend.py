"""The PostgreSQL backend (ckansite.postgresql): no health-check round trip on a quiet kept connection,
Django's SELECT 1 (and a new connection) once PostgreSQL has ended it; the hot queries prepared."""
import pytest
from django.db import connection, connections

from tests.conftest import needs

pytestmark = [
    pytest.mark.postgres,
    needs("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL"),
    pytest.mark.django_db(transaction=True),
]


def _kept_connection():
    connection.ensure_connection()
    connection.health_check_enabled = True
    connection.health_check_done = False
    return connection.connection


def test_a_quiet_connection_is_kept_without_a_query(monkeypatch):
    kept = _kept_connection()
    asked = []
    monkeypatch.setattr(type(connections["default"]), "is_usable", lambda self: asked.append(1) or True)
    connection.close_if_health_check_failed()
    assert connection.connection is kept and connection.health_check_done
    assert asked == []


def test_a_connection_postgresql_ended_is_replaced():
    kept = _kept_connection()
    pid = kept.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0] is True
        import time

        for _ in range(100):  # the backend's goodbye reaches our socket
            if not connection._quiet_and_idle():
                break
            time.sleep(0.01)
        connection.close_if_health_check_failed()
        assert connection.connection is None  # closed: the next query connects afresh
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
        assert connection.connection.info.backend_pid != pid
    finally:
        other.close()


def test_the_hot_queries_are_prepared_once_and_reused(sysadmin, settings):
    """The API key's user and package_show's dataset: prepared on the server (ckansite.postgresql)."""
    import json

    from django.test import Client

    settings.CKAN_READ_CACHE_DATASETS = 0  # the dataset's look-up runs each time, not kept (catalog.dict_cache)

    client = Client(HTTP_AUTHORIZATION=sysadmin.apikey)
    created = client.post("/api/3/action/package_create", json.dumps({"name": "prepared-once"}),
                          content_type="application/json")
    assert created.status_code == 200
    for _ in range(3):
        assert client.get("/api/3/action/package_show", {"id": "prepared-once"}).json()["success"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        prepared = cursor.fetchall()
    runs = {kind: sum(count for statement, count in prepared if marker in statement)
            for kind, marker in (("user", '"apikey" = $1'), ("dataset", "catalog_packagedictcache"))}
    assert runs["user"] >= 4 and runs["dataset"] >= 3, prepared


def test_queries_are_not_jit_compiled():
    """PostgreSQL's JIT spent 21 ms compiling tag_list's 4 ms query at 10,000 datasets."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_a_writes_statements_are_bound_on_the_server_and_prepared_once_repeated(sysadmin):
    """Client-side binding made PostgreSQL plan each of a write's thirty-odd statements afresh."""
    import json

    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=sysadmin.apikey)
    for number in range(3):
        created = client.post("/api/3/action/package_create",
                              json.dumps({"name": f"prepared-write-{number}", "tags": [{"name": f"t{number}"}]}),
                              content_type="application/json")
        assert created.status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    assert any(statement.startswith('INSERT INTO "catalog_package"') and "$1" in statement for statement in prepared), \
        prepared


def test_a_bulk_insert_over_the_parameter_limit_is_split():
    from catalog import bulk
    from catalog.models import Tag

    count = bulk.MAX_PARAMETERS // 2 + 10  # two columns a tag: one statement could not carry them
    bulk.insert(Tag(name=f"bulk-{number}") for number in range(count))
    assert Tag.objects.filter(name__startswith="bulk-").count() == count
