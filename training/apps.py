from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self):
        from congress import audit

        audit.name_actions({
            "nominate": _("deputies nominated"),
            "sign_up": _("signed up"),
            "attendance": _("attendance recorded"),
            "publish": _("published"),
            "cancel": _("cancelled"),
        })  # fmt: skip
        from auditlog.registry import auditlog

        from . import models, rules, workflow  # noqa: F401 - registers scope rules

        for model, options in models.audited_models():
            if not auditlog.contains(model):
                auditlog.register(model, **options)
        workflow.ENROLMENT.register()

    def dashboard_panels(self, view):
        from . import dashboard

        return dashboard.panels(view)

    def home_links(self, user):
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from congress import scope

        links = []
        if getattr(user, "person", None) is not None:
            links += [
                (_("Training courses open to me"), reverse("training:courses")),
                (_("My training and hours"), reverse("training:mine")),
            ]
        if scope.has_role(user, "staff"):
            links.append((_("Training courses, enrolment and coverage"), reverse("training:manage")))
        return links
