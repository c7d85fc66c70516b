from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LivelihoodConfig(AppConfig):
    name = "livelihood"
    verbose_name = _("Livelihood-project vote")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models, rules, workflow  # noqa: F401 - registers scope rules and the machine's labels

        for model, options in models.audited_models():
            if not auditlog.contains(model):
                auditlog.register(model, **options)
