"""What the livelihood pages read."""

from django.db.models import Count, Q

from congress import scope
from deputies.models import Mandate

from .models import PUBLISHED_STATES, Ballot, BallotState, Candidate, Programme, ProgrammeStatus, Turnout


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


def results(programme) -> dict:
    """The candidates with what the published results show beside each: its year-end appraisal (once closed) and
    whether a correction changed it; and the corrections themselves."""
    rows, fixes = candidates(programme), corrections(programme)
    appraised = appraisals(programme) if programme.status == ProgrammeStatus.APPRAISED else {}
    corrected = {c.candidate_id for c in fixes}
    for row in rows:
        row.appraised, row.corrected = appraised.get(row.pk), row.pk in corrected
    return {"candidates": rows, "corrections": fixes, "appraisals": bool(appraised)}


def my_mandate(user, programme) -> Mandate | None:
    """The user's seat in the programme's congress (any status: the page says why a suspended one cannot vote)."""
    return Mandate.objects.filter(person__user_id=user.pk, congress_id=programme.congress_id).first()


def votes_open_to(user):
    """The programmes whose vote is open in the congresses where the user holds an active seat."""
    seats = Mandate.objects.filter(person__user_id=user.pk, status="active").values("congress_id")
    return Programme.objects.filter(status=ProgrammeStatus.VOTING, congress_id__in=seats).order_by("-year")


def turnout(programme) -> dict:
    counts = Turnout.objects.filter(programme=programme).aggregate(
        total=Count("pk"),
        phone=Count("pk", filter=Q(channel="phone")),
        tablet=Count("pk", filter=Q(channel="tablet")),
        paper=Count("pk", filter=Q(channel="paper")),
    )
    return counts


def ballot_states(programme) -> dict:
    """How many ballots are valid, spoiled (废票) and taken but not returned (paper only)."""
    return Ballot.objects.filter(programme=programme).aggregate(
        valid=Count("pk", filter=Q(state=BallotState.VALID)),
        spoiled=Count("pk", filter=Q(state=BallotState.SPOILED)),
        not_returned=Count("pk", filter=Q(state=BallotState.NOT_RETURNED)),
    )


def published():
    """Programmes whose results are public: published, and on through the year-end appraisal."""
    return Programme.objects.filter(status__in=PUBLISHED_STATES).select_related("congress")


def corrections(programme):
    from .models import Correction

    return list(Correction.objects.filter(programme=programme).select_related("candidate").order_by("corrected_at"))


def appraisals(programme) -> dict:
    """Candidate id → its year-end appraisal (counts and correction)."""
    from .models import Appraisal

    return {a.candidate_id: a for a in Appraisal.objects.filter(candidate__programme=programme)}


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


def recorded_at(station):
    """The proposals recorded at a station, newest first."""
    from .models import Proposal

    return Proposal.objects.filter(station=station).select_related("programme").order_by("-created_at")[:50]


def appraisals_open_to(user):
    """The programmes in their year-end appraisal in the congresses where the user holds an active seat."""
    seats = Mandate.objects.filter(person__user_id=user.pk, status="active").values("congress_id")
    return Programme.objects.filter(status=ProgrammeStatus.APPRAISING, congress_id__in=seats).order_by("-year")


def corrections_due_to(user):
    """The user's units' livelihood projects sent back for correction and not reported yet."""
    from .models import Appraisal, AppraisalStatus

    return Appraisal.objects.filter(candidate__department_id__in=scope.unit_ids(user),
                                    status=AppraisalStatus.CORRECTING)  # fmt: skip
