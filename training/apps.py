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

    def home_tiles(self, user):
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from congress import scope
        from congress.tiles import Tile

        from . import selectors

        tiles = []
        if getattr(user, "person", None) is not None:
            tiles += [
                Tile(_("Training courses open to me"), reverse("training:courses"),
                     count=len(selectors.courses_for_deputy(user)), order=14),
                Tile(_("My training and hours"), reverse("training:mine"), order=50),
            ]  # fmt: skip
        if scope.has_role(user, "staff"):
            tiles.append(Tile(_("Training courses, enrolment and coverage"), reverse("training:manage"), order=130))
        return tiles
