"""Retry the index updates that failed (engine down, lock timeout) and clear them."""
from django.core.management.base import BaseCommand

from searchapi.indexing import reindex_pending
from searchapi.models import PendingIndex


class Command(BaseCommand):
    help = "Re-index every dataset whose index update failed; run it after the search engine is back."

    def handle(self, *args, **options):
        before = PendingIndex.objects.count()
        done, left = reindex_pending()
        self.stdout.write(f"{before} pending, {done} re-indexed, {left} still pending")
        if left:
            raise SystemExit(1)
