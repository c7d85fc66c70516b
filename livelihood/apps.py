from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LivelihoodConfig(AppConfig):
    name = "livelihood"
    verbose_name = _("Livelihood-project vote")

    def ready(self):
        from auditlog.registry import auditlog

        from congress import audit

        from . import carrying, models, rules, workflow  # noqa: F401 - registers scope rules and the machine's labels

        carrying.register()
        audit.name_actions({"correct_progress": _("progress report corrected")})

        for model, options in models.audited_models():
            if not auditlog.contains(model):
                auditlog.register(model, **options)

    def home_tiles(self, user):
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from congress import scope
        from congress.tiles import Tile

        from .selectors import votes_open_to

        tiles = []
        if getattr(user, "person", None) is not None:
            for programme in votes_open_to(user)[:3]:
                tiles.append(Tile(_("Vote: %(title)s") % {"title": programme.title},
                                  reverse("livelihood:ballot", args=[programme.pk]), order=52))  # fmt: skip
        if scope.has_role(user, "staff"):
            tiles.append(Tile(_("Livelihood-project vote"), reverse("livelihood:manage"), order=132))
        tiles += _carrying_tiles(user)
        return tiles


def _carrying_tiles(user):
    """The department's projects to report on, and the deputy's supervision groups, where they have any."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from congress import scope
    from congress.tiles import Tile

    from .models import CandidateOutcome, ProgrammeStatus

    carried = {"outcome": CandidateOutcome.CHOSEN, "programme__status": ProgrammeStatus.PUBLISHED}
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
