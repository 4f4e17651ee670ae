"""Datasets read back right after a write, shared by whoever reads them next in that write.

After a dataset write commits, search re-reads each dataset it touched (with
everything dictization needs) to index it. The action that made the write
then answers with the same dataset: `collecting()` lets it receive the
indexer's fresh instances instead of reading them a second time. Outside
`collecting()` nothing is kept, so no instance outlives the write that
read it.
"""
import contextvars
from contextlib import contextmanager

_collected = contextvars.ContextVar("ckan_loaded_packages", default=None)


@contextmanager
def collecting():
    """Collect the packages `offer()`ed inside the block; yields {package id: Package}."""
    found = {}
    token = _collected.set(found)
    try:
        yield found
    finally:
        _collected.reset(token)


def offer(packages):
    """Packages just read from the committed database with `package_queryset()`."""
    found = _collected.get()
    if found is not None:
        for package in packages:
            found[package.pk] = package
