"""The searchable generation (ckansite.generation): a PostgreSQL sequence; nothing on SQLite."""
from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS search_searchable_generation")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS search_searchable_generation")


class Migration(migrations.Migration):

    dependencies = [
        ("searchapi", "0001_initial"),
        ("catalog", "0004_catalog_generation"),
    ]

    operations = [migrations.RunPython(create, drop)]
