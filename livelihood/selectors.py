"""What the livelihood pages read."""

from django.db.models import Count, Q

from congress import scope
from deputies.models import Mandate

from .models import Candidate, Programme, ProgrammeStatus, Turnout


def programmes_for(user):
    return (
        scope.visible(user, Programme).select_related("congress", "office")
        .annotate(proposal_count=Count("proposals", distinct=True))
    )  # fmt: skip


def programme_for(user, pk) -> Programme | None:
    return scope.visible(user, Programme).select_related("congress__region", "office").filter(pk=pk).first()


def candidates(programme):
    return list(Candidate.objects.filter(programme=programme).select_related("department").order_by("number"))


def my_mandate(user, programme) -> Mandate | None:
    """The user's seat in the programme's congress (any status: the page says why a suspended one cannot vote)."""
    return Mandate.objects.filter(person__user_id=user.pk, congress_id=programme.congress_id).first()


def votes_open_to(user):
    """The programmes whose vote is open in the congresses where the user holds an active seat."""
    seats = Mandate.objects.filter(person__user_id=user.pk, status="active").values("congress_id")
    return Programme.objects.filter(status=ProgrammeStatus.VOTING, congress_id__in=seats).order_by("-year")


def turnout(programme) -> dict:
    counts = Turnout.objects.filter(programme=programme).aggregate(
        total=Count("pk"), phone=Count("pk", filter=Q(channel="phone")), tablet=Count("pk", filter=Q(channel="tablet"))
    )
    return counts


def published():
    return Programme.objects.filter(status=ProgrammeStatus.PUBLISHED).select_related("congress")
