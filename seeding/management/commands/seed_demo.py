"""Demo data: one province (Guangdong) with its congresses, bodies and logins, then each app's part, in the
order the apps depend on one another. Safe to run again: each part finds what is there instead of adding
twice."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

import seeding.demo.activities
import seeding.demo.cases
import seeding.demo.congress
import seeding.demo.deputies
import seeding.demo.liaison_stations
import seeding.demo.livelihood
import seeding.demo.suggestions
import seeding.demo.training
from congress import topics, twofactor
from congress.models import Role, User
from suggestions import routing


class Command(BaseCommand):
    help = "Load demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Load the demo data although DEBUG is off (it makes 'admin' with a published password and TOTP key).",
        )

    def handle(self, **options):
        # The demo logins' password and TOTP key are printed below and in the README: on a live site they are
        # an open door, so a site without DEBUG gets them only when asked in so many words.
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(
                "seed_demo creates 'admin' and other logins with a published password and TOTP key, so it runs "
                "only with DEBUG on. On a site that is not live, run it with --allow-without-debug."
            )
        with transaction.atomic():
            token = seeding.demo.congress.seed()
            seeding.demo.deputies.seed(deputy_user=User.objects.filter(username="deputy").first())
            seeding.demo.liaison_stations.seed()
            seeding.demo.suggestions.seed()
            seeding.demo.training.seed()
            seeding.demo.activities.seed()
            seeding.demo.livelihood.seed()
            seeding.demo.cases.seed()
            seeding.demo.deputies.duty_records()
            seeding.demo.congress.authenticators()
            # What the nightly tasks would learn, so the demo shows recommended units and hot topics at once.
            routing.rebuild_all()
            topics.recompute_all()
        self._print(token)

    def _print(self, token):
        write = self.stdout.write
        write("")
        write(f"Demo logins (password for all: {seeding.demo.congress.DEMO_PASSWORD})")
        write(f"  {'admin':<16} 系统管理员   administrator (all regions)")
        names = {code: name for code, name, *_ in seeding.demo.congress.CONGRESSES}
        for username, name, role, anchor, _ in seeding.demo.congress.USERS:
            write(f"  {username:<16} {name:<6}   {Role(role).label} · {names.get(anchor, anchor)}")
        key = twofactor.secret_text(bytes.fromhex(seeding.demo.congress.DEMO_TOTP_KEY))
        write(f"admin and the *_staff logins also ask for a two-factor code: add the key {key} to an authenticator")
        write("  app (time-based, 6 digits), or print the current code: .venv/bin/python manage.py totp_code gd_staff")
        if token:
            write(f"API client 省级代表履职平台 token (shown once): {token}")
        else:
            write(
                "API client 省级代表履职平台 exists; new token: manage.py create_api_client 省级代表履职平台 --rotate"
            )
