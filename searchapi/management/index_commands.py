"""Haystack's index commands, ending as a write does: every kept answer marked stale.

Kept package_search answers (catalog.read_cache) were computed from the index
as it was; update_index, clear_index (and rebuild_index, which runs both) are
run because the index was wrong or incomplete, so each advances the catalog's
generation when it ends. That also makes the next search on Solr soft-commit
what was sent. Without it, the old answers would be served until the next write
(or CKAN_READ_CACHE_SECONDS).
"""
from catalog import read_cache


def advancing_generation(command_class):
    """`command_class` (a Haystack Command), advancing the generation when it ends."""

    class Command(command_class):
        help = command_class.help + " Then marks the answers kept from the old index stale."

        def handle(self, *args, **options):
            try:
                return super().handle(*args, **options)
            finally:
                read_cache.advance()

    return Command
