"""Provincial-size data for benchmarks. Each app adds its part through `seed_scale(context)` and its options
through `add_scale_arguments(parser)` on its AppConfig; the command reports what it wrote and how long it took."""

import random
import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from congress import scale


class Command(BaseCommand):
    help = "Generate a consistent, realistic data set at provincial scale (regions, congresses, roster, …)."

    def add_arguments(self, parser):
        parser.add_argument("--province", default="62", help="Two-digit province code (default 62, Gansu)")
        parser.add_argument("--townships-per-county", type=int, default=15)
        parser.add_argument("--villages-per-township", type=int, default=8)
        parser.add_argument("--seed", type=int, default=1)
        for config in apps.get_app_configs():
            hook = getattr(config, "add_scale_arguments", None)
            if hook is not None:
                hook(parser)

    def handle(self, **options):
        started = time.perf_counter()
        context = scale.ScaleContext(rng=random.Random(options["seed"]), options=options)
        try:
            scale.build_structure(context)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for config in apps.get_app_configs():
            hook = getattr(config, "seed_scale", None)
            if hook is not None:
                hook(context)
        self.stdout.write(f"{'what':<28} {'rows':>10} {'seconds':>9}")
        for what, count, seconds in context.report:
            self.stdout.write(f"{what:<28} {count:>10,} {seconds:>9.1f}")
        self.stdout.write(f"{'total':<28} {'':>10} {time.perf_counter() - started:>9.1f}")
