"""What the search app keeps in the database: datasets whose index update failed."""
from django.db import models
from django.utils import timezone


class PendingIndex(models.Model):
    """A dataset whose last index update failed (engine down, lock timeout, ...).

    The next successful index update retries it, and `manage.py
    reindex_pending` (or `update_index`) reconciles on demand. `queued_at`
    moves on every failure, so a retry only clears rows recorded before it
    read the dataset.
    """

    package_id = models.CharField(max_length=36, unique=True)
    queued_at = models.DateTimeField(default=timezone.now, db_index=True)
    attempts = models.PositiveIntegerField(default=1)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["queued_at"]

    def __str__(self):
        return f"{self.package_id} (queued {self.queued_at:%Y-%m-%d %H:%M:%S})"
