from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self):
        from congress import audit

        audit.name_actions({
            "invite": _("deputies invited"),
            "attendance": _("attendance recorded"),
            "correct_attendance": _("attendance corrected"),
            "check_in": _("checked in"),
            "finding_to_draft": _("finding turned into a suggestion draft"),
            "finding_to_unit": _("finding referred to a unit"),
            "referral_answered": _("the unit's answer recorded"),
            "export_activities": _("activity list exported"),
            "export_activity_roster": _("activity roster exported"),
            "export_activity_findings": _("activity findings exported"),
            "export_report_coverage": _("report-to-voters coverage exported"),
            "invite_expert": _("expert invited"),
            "expert_answer": _("expert's answer recorded"),
        })  # fmt: skip
        from congress import deadlines

        deadlines.register_kind("activity_finding", _("answer to an activity's finding"), copy="due_on")
        from auditlog.registry import auditlog

        from . import models, rules, workflow  # noqa: F401 - registers scope rules

        for model, options in models.audited_models():
            if not auditlog.contains(model):
                auditlog.register(model, **options)
        workflow.register()
        from congress import exports

        from . import exporter

        exports.register(models.Activity, exporter.console_rows)
        _track_deletions(models)

    def dashboard_panels(self, view):
        from . import dashboard

        return dashboard.panels(view)

    def home_tiles(self, user):
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from congress import scope
        from congress.tiles import Tile

        tiles = []
        if getattr(user, "person", None) is not None:
            tiles.append(Tile(_("My activities"), reverse("activities:mine"), order=51))
        if scope.has_role(user, "staff"):
            tiles.append(Tile(_("Activities: inspections, research, group activities"), reverse("activities:manage"),
                              order=131))  # fmt: skip
            tiles.append(Tile(_("Expert pools"), reverse("activities:experts"), order=132))
        return tiles


def _track_deletions(models) -> None:
    """The API's resources leave a tombstone in the changes feed when deleted (an invitation and its attendance
    belong to the invited deputy's region, as their reads do)."""
    from congress import tombstones

    tombstones.track(models.Activity, "activities", "activities", lambda row: row.region_code)
    tombstones.track(models.Sitting, "activities/sittings", "activities", lambda row: row.activity.region_code)
    tombstones.track(models.Invitation, "activities/invitations", "activities", lambda row: row.mandate.region_code)
    tombstones.track(
        models.Attendance, "activities/attendance", "activities", lambda row: row.invitation.mandate.region_code
    )
