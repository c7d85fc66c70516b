"""The current two-factor code of a user's authenticator, for trying the demo without a phone."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current two-factor code of a user's authenticator (development only: needs DEBUG)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        if not settings.DEBUG:
            raise CommandError("totp_code works only with DEBUG on: it would defeat two-factor sign-in.")
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no confirmed authenticator.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
