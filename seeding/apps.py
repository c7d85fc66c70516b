from django.apps import AppConfig


class SeedingConfig(AppConfig):
    """Demo and scale data (`manage.py seed_demo`, `manage.py seed_scale`). It imports every domain app and no
    domain app imports it, so it comes last in INSTALLED_APPS. It has no models, so no page shows its name (which
    is why that name is not translated)."""

    name = "seeding"
