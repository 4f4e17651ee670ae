"""The catalog's generation counter (catalog.read_cache): a PostgreSQL sequence; nothing on SQLite."""
from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS catalog_generation")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS catalog_generation")


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0003_package_verbose_name"),
    ]

    operations = [migrations.RunPython(create, drop)]
