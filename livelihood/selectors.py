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
    rows = Candidate.objects.filter(programme=programme).select_related("department", "proposal")
    return list(rows.order_by("number"))


def candidates_of(programme_id: int) -> list[Candidate]:
    """The ballot's choices, and no more (a deputy's vote reads them)."""
    return list(Candidate.objects.filter(programme_id=programme_id).order_by("number"))


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


def track(code: str, phone_tail: str):
    """A proposer follows a proposal with its code and the last four digits of the phone they left."""
    from .models import Proposal

    code, phone_tail = (code or "").strip().upper(), (phone_tail or "").strip()
    if len(code) < 6 or len(phone_tail) != 4 or not phone_tail.isdigit():
        return None
    return (
        Proposal.objects.select_related("programme__congress", "merged_into", "candidate")
        .filter(tracking_code=code, phone_tail=phone_tail).first()
    )  # fmt: skip


def collecting(programme, today) -> bool:
    return programme.status == ProgrammeStatus.SOLICITING and programme.solicit_from <= today <= programme.solicit_until


def departments_for(programme):
    """The handling units of the programme's region a project can be given to."""
    from congress.models import Organisation, OrganisationKind

    return Organisation.objects.filter(
        kind=OrganisationKind.HANDLING_UNIT, is_active=True, region__code__startswith=programme.region_code
    ).order_by("name")


def with_counts(programmes):
    """Programmes with their proposals and the deputies who have voted counted (subqueries: a join of both would
    multiply them)."""
    from django.db.models import IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from .models import Proposal

    def counted(model):
        rows = model.objects.filter(programme=OuterRef("pk")).order_by().values("programme").annotate(n=Count("pk"))
        return Coalesce(Subquery(rows.values("n"), output_field=IntegerField()), 0)

    return programmes.annotate(proposal_count=counted(Proposal), voted_count=counted(Turnout))
