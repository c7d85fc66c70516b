"""Signals of the core for the apps above it (which connect to them in their AppConfig.ready)."""

from django.dispatch import Signal

# A congress was created through the console or the API (inside the creating transaction): `congress`.
congress_created = Signal()
