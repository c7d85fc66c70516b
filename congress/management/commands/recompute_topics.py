"""Regroup the opinions and suggestions into topics now, instead of waiting for the night's task."""

from django.core.management.base import BaseCommand

from congress import topics
from congress.models import Congress


class Command(BaseCommand):
    help = "Recompute the hot topics of one congress (--congress) or of all."

    def add_arguments(self, parser):
        parser.add_argument("--congress", type=int, help="the congress's id; all congresses if left out")

    def handle(self, *args, congress=None, **options):
        ids = [congress] if congress else list(Congress.objects.order_by("pk").values_list("pk", flat=True))
        for congress_id in ids:
            found = topics.recompute(congress_id)
            self.stdout.write(f"congress {congress_id}: {found} topics")
