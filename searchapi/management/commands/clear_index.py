"""Haystack's clear_index, then every kept answer marked stale (catalog.read_cache).

Without the advance, package_search answers kept before the index was emptied
would go on being served until the next write (or CKAN_READ_CACHE_SECONDS).
"""
from haystack.management.commands import clear_index

from catalog import read_cache


class Command(clear_index.Command):
    help = clear_index.Command.help + " Then marks the answers kept from the old index stale."

    def handle(self, *args, **options):
        try:
            return super().handle(*args, **options)
        finally:
            read_cache.advance()
