"""Signals the catalog sends; other apps (search) listen without catalog knowing them."""
from django.dispatch import Signal

# Sent after a write's transaction commits, once per write, with
# `package_ids`: the ids of every dataset the write created, changed or deleted.
packages_changed = Signal()

# Sent inside a write's transaction, just before it commits, with the same
# `package_ids`: a listener records there what must happen after commit (the
# search index's to-do list), so that it commits or rolls back with the write
# and survives a process that dies between the commit and `packages_changed`.
packages_changing = Signal()
