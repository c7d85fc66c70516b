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

    def home_links(self, user):
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from congress import scope

        links = []
        if scope.has_role(user, "staff"):
            links += [
                (_("Deputy resource directory"), reverse("deputies:directory")),
                (_("Import a roster"), reverse("deputies:imports")),
                (_("Contact duty coverage"), reverse("deputies:contacts")),
                (_("Duty points"), reverse("deputies:points")),
            ]
        from .models import ContactAssignment

        if ContactAssignment.objects.filter(member=user, active=True).exists():
            links.append((_("My assigned deputies"), reverse("deputies:my_contacts")))
        if getattr(user, "person", None) is not None:
            links.append((_("My duty record"), reverse("deputies:my_record")))
        return links

    def add_scale_arguments(self, parser):
        from . import scale

        scale.add_arguments(parser)

    def seed_scale(self, context):
        from . import scale

        scale.seed(context)
