from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LivelihoodConfig(AppConfig):
    name = "livelihood"
    verbose_name = _("Livelihood-project vote")

    def ready(self):
        from auditlog.registry import auditlog

        from . import appraisal, models, rules, workflow  # noqa: F401 - registers scope rules and the machine's labels

        appraisal.register()

        for model, options in models.audited_models():
            if not auditlog.contains(model):
                auditlog.register(model, **options)
        from congress import audit, exports

        from . import events, exporter

        audit.name_actions({
            "export_livelihood_proposals": _("livelihood proposals exported"),
            "export_livelihood_candidates": _("livelihood candidate list exported"),
            "export_livelihood_results": _("livelihood results exported"),
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
