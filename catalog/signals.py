"""Signals the catalog sends; other apps (search) listen without catalog knowing them."""
from django.dispatch import Signal

# Sent after a write's transaction commits, once per write, with
# `package_ids`: the ids of every dataset the write created, changed or deleted.
packages_changed = Signal()
