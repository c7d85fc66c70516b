from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Excellent-case selection")

    def ready(self):
        from congress import audit

        audit.name_actions({
            "add_round": _("given a round"),
            "cast_ballot": _("ballot cast"),
            "score": _("scored"),
            "remove_file": _("file removed"),
            "certificates_written": _("certificates written"),
        })  # fmt: skip
        from auditlog.registry import auditlog

        from . import models, rules, services  # noqa: F401 - registers scope rules

        for model, options in models.audited_models():
            if not auditlog.contains(model):
                auditlog.register(model, **options)
        _track_deletions(models)

    def home_tiles(self, user):
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from congress import scope
        from congress.tiles import Tile

        from .models import Voter

        tiles = []
        if scope.has_role(user, "staff", "supervisor"):
            tiles.append(Tile(_("Excellent-case selection"), reverse("cases:campaigns"), order=140))
        if scope.has_role(user, "unit_officer"):
            tiles.append(Tile(_("My unit's cases"), reverse("cases:unit"), order=60))
        if Voter.objects.filter(user_id=user.pk).exists():
            tiles.append(Tile(_("My case ballots"), reverse("cases:ballots"), order=70))
        return tiles

    def public_tiles(self):
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from . import selectors

        votes = [(campaign.title, reverse("cases:public", args=[campaign.slug]))
                 for campaign in selectors.open_public_votes()]  # fmt: skip
        text = (
            _("Vote for the liaison stations and cases you find best.") if votes else _("No public vote is open now.")
        )
        return [{"order": 50, "title": _("Public votes"), "text": text, "items": votes}]

    def public_links(self):
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from . import selectors

        return [
            (_("Vote: %(title)s") % {"title": campaign.title}, reverse("cases:public", args=[campaign.slug]))
            for campaign in selectors.open_public_votes()
        ]


def _track_deletions(models) -> None:
    from congress import tombstones

    tombstones.track(models.Campaign, "cases/campaigns", "cases", lambda row: row.region_code)
    tombstones.track(models.Submission, "cases/submissions", "cases", lambda row: row.campaign.region_code)
    tombstones.track(models.Round, "cases/rounds", "cases", lambda row: row.campaign.region_code)
