from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeedingConfig(AppConfig):
    """Demo and scale data (`manage.py seed_demo`, `manage.py seed_scale`). It imports every domain app and no
    domain app imports it, so it comes last in INSTALLED_APPS and a deployment can leave it out."""

    name = "seeding"
    verbose_name = _("Demo and scale data")
