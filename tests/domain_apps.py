"""The project's domain apps (a folder at the root with an apps.py), for the tests that read every app's code,
forms or views: a new app is checked from its first commit without anyone remembering to list it."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EDGE_APPS = {"seeding", "bench"}  # generators and measurements, not the product
DOMAIN_APPS = tuple(sorted(path.parent.name for path in ROOT.glob("*/apps.py") if path.parent.name not in EDGE_APPS))
