from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeputiesConfig(AppConfig):
    name = "deputies"
    verbose_name = _("Deputy roster")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models, rules  # noqa: F401 - registers scope rules

        for model, options in models.audited_models():
            if not auditlog.contains(model):
                auditlog.register(model, **options)

    def seed_demo(self):
        from django.contrib.auth import get_user_model

        from . import demo

        demo.seed(deputy_user=get_user_model().objects.filter(username="deputy").first())
