"""What the search app keeps in the database: datasets whose index update failed."""
from django.db import models
from django.utils import timezone


class PendingIndex(models.Model):
    """A dataset whose index update is to do: written with the write that changed it, deleted once indexed.

    `attempts` 0: the write is indexing it now (or died trying, if the row is
    old); more: the update failed (engine down, lock timeout, ...), `last_error`
    says why. Rows left behind are retried by the next write, by the timer of
    searchapi.pending_retry and by `manage.py reindex_pending`. `queued_at`
    moves on every write and failure, so a retry only clears rows recorded
    before it read the dataset.
    """

    package_id = models.CharField(max_length=36, unique=True)
    queued_at = models.DateTimeField(default=timezone.now, db_index=True)
    attempts = models.PositiveIntegerField(default=1)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["queued_at"]

    def __str__(self):
        return f"{self.package_id} (queued {self.queued_at:%Y-%m-%d %H:%M:%S})"
