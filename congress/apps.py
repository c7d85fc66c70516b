from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = _("Congress structure and settings")

    def ready(self):
        from . import audit, rules  # noqa: F401 - registers scope rules

        audit.register_models()
