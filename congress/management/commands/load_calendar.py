from django.core.management.base import BaseCommand, CommandError

from congress import services
from congress.errors import RuleViolation


class Command(BaseCommand):
    help = "Load official holiday schedules from the installed chinesecalendar package and recompute deadlines."

    def add_arguments(self, parser):
        parser.add_argument(
            "years", nargs="*", type=int, help="Years to (re)load; default: every year not yet complete"
        )

    def handle(self, years, **options):
        try:
            loaded = services.import_calendar_years(actor=None, years=years or None)
        except RuleViolation as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(f"Loaded: {', '.join(map(str, loaded)) or 'nothing new'}")
