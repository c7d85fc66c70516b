from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LivelihoodConfig(AppConfig):
    name = "livelihood"
    verbose_name = _("Livelihood-project vote")

    def ready(self):
        from auditlog.registry import auditlog

        from congress import audit

        from . import appraisal, carrying, models, rules, workflow  # noqa: F401 - registers scope rules, labels

        appraisal.register()
        carrying.register()
        audit.name_actions({"correct_progress": _("progress report corrected")})

        for model, options in models.audited_models():
            if not auditlog.contains(model):
                auditlog.register(model, **options)
        from congress import audit, exports

        from . import events, exporter

        audit.name_actions({
            "export_livelihood_proposals": _("livelihood proposals exported"),
            "export_livelihood_candidates": _("livelihood candidate list exported"),
            "export_livelihood_results": _("livelihood results exported"),
            "export_livelihood_carrying": _("livelihood projects' carrying out exported"),
        })  # fmt: skip
        exports.register(models.Proposal, exporter.console_rows)
        events.register()
        _track_deletions(models)

    def dashboard_panels(self, view):
        from . import dashboard

        return dashboard.panels(view)

    def home_tiles(self, user):
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from congress import scope
        from congress.tiles import Tile

        from .selectors import appraisals_open_to, corrections_due_to, votes_open_to

        tiles = []
        if getattr(user, "person", None) is not None:
            for programme in votes_open_to(user)[:3]:
                tiles.append(Tile(_("Vote: %(title)s") % {"title": programme.title},
                                  reverse("livelihood:ballot", args=[programme.pk]), order=52))  # fmt: skip
            for programme in appraisals_open_to(user)[:3]:
                tiles.append(Tile(_("Appraise: %(title)s") % {"title": programme.title},
                                  reverse("livelihood:rate", args=[programme.pk]), order=53))  # fmt: skip
        if scope.unit_ids(user) and corrections_due_to(user).exists():
            tiles.append(Tile(_("Livelihood projects to correct"), reverse("livelihood:corrections_due"), order=54))
        if scope.has_role(user, "staff"):
            tiles.append(Tile(_("Livelihood-project vote"), reverse("livelihood:manage"), order=132))
        tiles += _carrying_tiles(user)
        return tiles


def _track_deletions(models) -> None:
    """The API's resources leave a tombstone in the changes feed when deleted (a merged proposal leaves one too,
    from the merge service)."""
    from congress import tombstones

    def region(row):
        return row.programme.region_code

    tombstones.track(models.Programme, "livelihood/programmes", "livelihood", lambda row: row.region_code)
    tombstones.track(models.Proposal, "livelihood/proposals", "livelihood", region)
    tombstones.track(models.Candidate, "livelihood/candidates", "livelihood", region)
    tombstones.track(models.Decision, "livelihood/tie-decisions", "livelihood", region)

    def project_region(row):
        return row.project.programme.region_code

    carrying = {models.Milestone: "milestones", models.ProgressReport: "progress-reports",
                models.SupervisionGroup: "supervision-groups", models.SiteVisit: "site-visits"}  # fmt: skip
    for model, resource in carrying.items():
        tombstones.track(model, f"livelihood/{resource}", "livelihood", project_region)
    tombstones.track(models.Appraisal, "livelihood/appraisals", "livelihood",
                     lambda row: row.candidate.programme.region_code)  # fmt: skip


def _carrying_tiles(user):
    """The department's projects to report on, and the deputy's supervision groups, where they have any."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from congress import scope
    from congress.tiles import Tile

    from .models import PUBLISHED_STATES, CandidateOutcome

    carried = {"outcome": CandidateOutcome.CHOSEN, "programme__status__in": PUBLISHED_STATES}
    tiles = []
    units = scope.unit_ids(user)
    if units:
        from .models import Candidate

        if Candidate.objects.filter(department_id__in=units, **carried).exists():
            tiles.append(Tile(_("Livelihood projects: progress reports"), reverse("livelihood:department_projects"),
                              order=53))  # fmt: skip
    if getattr(user, "person", None) is not None:
        from .models import SupervisionGroup

        mine = SupervisionGroup.objects.filter(
            group__memberships__mandate__person__user_id=user.pk,
            **{f"project__{key}": value for key, value in carried.items()},
        )
        if mine.exists():
            tiles.append(Tile(_("My supervision groups"), reverse("livelihood:my_supervision"), order=53))
    return tiles
