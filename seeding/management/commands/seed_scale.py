"""Provincial-size data for benchmarks: the core's structure, then each app's part (with its own options), in
the order the apps depend on one another; the command reports what it wrote and how long it took."""

import random
import time

from django.core.management.base import BaseCommand, CommandError

import seeding.scale.activities
import seeding.scale.cases
import seeding.scale.congress
import seeding.scale.deputies
import seeding.scale.liaison_stations
import seeding.scale.livelihood
import seeding.scale.suggestions
import seeding.scale.training

# Each app's part: `add_arguments(parser)` for its options, `seed(context)` to write its rows.
PARTS = [
    seeding.scale.deputies,
    seeding.scale.liaison_stations,
    seeding.scale.suggestions,
    seeding.scale.training,
    seeding.scale.activities,
    seeding.scale.cases,
    seeding.scale.livelihood,
]


class Command(BaseCommand):
    help = "Generate a consistent, realistic data set at provincial scale (regions, congresses, roster, …)."

    def add_arguments(self, parser):
        parser.add_argument("--province", default="62", help="Two-digit province code (default 62, Gansu)")
        parser.add_argument("--townships-per-county", type=int, default=15)
        parser.add_argument("--villages-per-township", type=int, default=8)
        parser.add_argument("--seed", type=int, default=1)
        for part in PARTS:
            part.add_arguments(parser)

    def handle(self, **options):
        started = time.perf_counter()
        context = seeding.scale.congress.ScaleContext(rng=random.Random(options["seed"]), options=options)
        try:
            seeding.scale.congress.build_structure(context)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for part in PARTS:
            part.seed(context)
        self.stdout.write(f"{'what':<28} {'rows':>10} {'seconds':>9}")
        for what, count, seconds in context.report:
            self.stdout.write(f"{what:<28} {count:>10,} {seconds:>9.1f}")
        self.stdout.write(f"{'total':<28} {'':>10} {time.perf_counter() - started:>9.1f}")
