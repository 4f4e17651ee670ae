"""Haystack's clear_index, then every kept answer marked stale (searchapi.management.index_commands)."""
from haystack.management.commands import clear_index

from searchapi.management.index_commands import advancing_generation

Command = advancing_generation(clear_index.Command)
