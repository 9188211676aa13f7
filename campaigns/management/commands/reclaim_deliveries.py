"""Take back at once the deliveries of a worker known to be dead, instead of waiting for its lease to run out.

    python manage.py reclaim_deliveries --worker celery@host1:1234   # that worker process
    python manage.py reclaim_deliveries --worker celery@host1        # every process of that Celery node
    python manage.py reclaim_deliveries --all-expired                # every expired lease, as the beat does
"""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from campaigns.models import Delivery
from campaigns.services import dispatch, sending


class Command(BaseCommand):
    help = (
        "Queue again the deliveries a dead worker was sending (they are counted as possible duplicates). "
        "Without options, list the workers that hold deliveries."
    )

    def add_arguments(self, parser):
        parser.add_argument("--worker", help='the worker as stored in "claimed_by", e.g. celery@host:1234, or a Celery node')
        parser.add_argument("--all-expired", action="store_true", help="every delivery whose lease has run out")

    def handle(self, *args, worker, all_expired, **options):
        if worker and all_expired:
            raise CommandError("Give --worker or --all-expired, not both.")
        if not worker and not all_expired:
            self.list_claimants()
            return
        reclaimed = sending.reclaim_from_worker(worker) if worker else sending.reclaim_expired_leases()
        if reclaimed:
            dispatch.wake_workers()
        whose = f"worker {worker}" if worker else "expired leases"
        self.stdout.write(f"Reclaimed {reclaimed} deliveries from {whose}; they are queued again.")

    def list_claimants(self):
        claimants = (
            Delivery.objects.filter(status=Delivery.Status.SENDING)
            .values("claimed_by")
            .annotate(count=Count("pk"))
            .order_by("claimed_by")
        )
        if not claimants:
            self.stdout.write("No worker holds deliveries.")
        for row in claimants:
            self.stdout.write(f"{row['claimed_by'] or '(unknown)'}: {row['count']} deliveries being sent")
