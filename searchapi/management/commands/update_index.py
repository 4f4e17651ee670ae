"""Haystack's update_index, then every kept answer marked stale (catalog.read_cache).

Kept answers of package_search were computed from the index as it was; an
update_index (or rebuild_index, which runs this) is run because the index was
wrong or incomplete, so its end advances the catalog's generation as a write
does. That also makes the next search on Solr soft-commit what was sent.
"""
from haystack.management.commands import update_index

from catalog import read_cache


class Command(update_index.Command):
    help = update_index.Command.help + " Then marks the answers kept from the old index stale."

    def handle(self, *args, **options):
        try:
            return super().handle(*args, **options)
        finally:
            read_cache.advance()
