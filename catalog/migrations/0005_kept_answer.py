"""The shared kept answers (catalog.read_cache): an UNLOGGED PostgreSQL table; nothing on SQLite.

UNLOGGED: no write-ahead log for what is only a cache (a crash empties it).
STORAGE EXTERNAL: answers are stored uncompressed, cheaper to write and read.
"""
from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE UNLOGGED TABLE IF NOT EXISTS catalog_keptanswer ("
            " key text PRIMARY KEY, generation bigint NOT NULL,"
            " kept_at timestamptz NOT NULL DEFAULT now(), value bytea NOT NULL)"
        )
        schema_editor.execute("ALTER TABLE catalog_keptanswer ALTER COLUMN value SET STORAGE EXTERNAL")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS catalog_keptanswer")


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0004_catalog_generation"),
    ]

    operations = [migrations.RunPython(create, drop)]
