"""The year-end appraisal (年终测评) of the chosen projects.

Staff open it for a window of dates; each deputy of the congress rates each chosen project once (满意 / 基本满意 /
不满意). Closing it counts the ratings per project (published with the results) and sends every project whose share
of 不满意 is above the policy's (livelihood.unsatisfied_percent) back to its department, with a correction deadline
of livelihood.correction_period working days on the one deadline table. The department's officers report the
correction on their portal; staff close it."""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress import audit, deadlines, policies, scope
from congress.errors import Conflict, Forbidden, RuleViolation
from congress.workdays import Calendar
from deputies.models import Mandate, MandateStatus

from . import events, workflow
from .models import Appraisal, AppraisalStatus, Candidate, CandidateOutcome, Programme, Rating, Verdict
from .services import lock_programme

CORRECTION_DEADLINE = "livelihood_correction"


def register() -> None:
    deadlines.register_kind(CORRECTION_DEADLINE, gettext_lazy("correction of a livelihood project"),
                            copy="correct_by")  # fmt: skip


def fails(dissatisfied: int, total: int, percent) -> bool:
    """More than `percent` % of the ratings are 不满意 (strictly: exactly half is not more than half)."""
    return total > 0 and Decimal(dissatisfied) * 100 > Decimal(total) * Decimal(percent)


def open_appraisal(*, actor, programme_id: int, appraise_from: date | None = None,
                   appraise_until: date | None = None) -> Programme:  # fmt: skip
    """Staff open the year-end appraisal for a window of dates: the one given, or else the one planned with the
    programme."""
    with transaction.atomic(), audit.acting_as(actor):
        programme = lock_programme(programme_id)
        move = workflow.PROGRAMME.allow(actor, programme, "open_appraisal")
        planned = (programme.appraise_from, programme.appraise_until)
        appraise_from = appraise_from or programme.appraise_from
        appraise_until = appraise_until or programme.appraise_until
        if appraise_from is None or appraise_until is None:
            raise RuleViolation(fields={"appraise_until": [_("Give the appraisal's first and last day.")]})
        if appraise_until < appraise_from:
            raise RuleViolation(fields={"appraise_until": [_("The appraisal must end after it starts.")]})
        programme.appraise_from, programme.appraise_until = appraise_from, appraise_until
        move.apply(changes={
            "appraise_from": (planned[0] and planned[0].isoformat(), appraise_from.isoformat()),
            "appraise_until": (planned[1] and planned[1].isoformat(), appraise_until.isoformat()),
        })  # fmt: skip
    return programme


def chosen(programme) -> list[Candidate]:
    return list(
        Candidate.objects.filter(programme=programme, outcome=CandidateOutcome.CHOSEN)
        .select_related("department").order_by("number")
    )  # fmt: skip


def rate(*, actor, programme_id: int, verdicts: dict, today: date | None = None) -> list[Rating]:
    """A deputy of the congress rates chosen projects during the window, each once."""
    today = today or timezone.localdate()
    verdicts = {int(pk): v for pk, v in verdicts.items() if v}
    if not verdicts:
        raise RuleViolation(_("Rate at least one project."))
    if any(v not in Verdict.values for v in verdicts.values()):
        raise RuleViolation(_("Rate a project satisfied, basically satisfied or dissatisfied."))
    with transaction.atomic(), audit.acting_as(actor):
        programme = Programme.objects.filter(pk=programme_id).first()
        if programme is None:
            raise RuleViolation(_("The programme does not exist."))
        mandate = Mandate.objects.filter(person__user_id=getattr(actor, "pk", None),
                                         congress_id=programme.congress_id).first()  # fmt: skip
        if mandate is None:
            raise Forbidden(_("Only the congress's deputies rate its livelihood projects."))
        if mandate.status != MandateStatus.ACTIVE:
            raise Forbidden(_("A deputy whose mandate is suspended or has ended cannot rate."))
        move = workflow.PROGRAMME.allow(actor, programme, "rate")
        if not programme.appraise_from <= today <= programme.appraise_until:
            raise RuleViolation(
                _("The appraisal runs from %(start)s to %(end)s.")
                % {"start": programme.appraise_from.isoformat(), "end": programme.appraise_until.isoformat()}
            )
        if Candidate.objects.filter(programme=programme, outcome=CandidateOutcome.CHOSEN,
                                    pk__in=verdicts).count() != len(verdicts):  # fmt: skip
            raise RuleViolation(_("Rate only the projects chosen in this programme."))
        try:
            with transaction.atomic():
                ratings = Rating.objects.bulk_create(
                    [Rating(candidate_id=pk, mandate=mandate, verdict=v) for pk, v in sorted(verdicts.items())]
                )
        except IntegrityError:
            raise Conflict(_("You have already rated this project.")) from None
        move.apply(fields=[], changes={"rated": ([], sorted(verdicts))})
    return ratings


def counts(programme) -> dict[int, dict]:
    """Each chosen project's ratings so far: candidate id → {verdict: n, "total": n}."""
    rows = (
        Rating.objects.filter(candidate__programme=programme).values("candidate")
        .annotate(**{v: Count("pk", filter=Q(verdict=v)) for v in Verdict.values}, total=Count("pk"))
    )  # fmt: skip
    return {row.pop("candidate"): row for row in rows}


def close_appraisal(*, actor, programme_id: int, today: date | None = None) -> Programme:
    """Staff close the appraisal: each chosen project's counts are kept, and the unsatisfactory ones go back to their
    departments with a correction deadline."""
    today = today or timezone.localdate()
    with transaction.atomic(), audit.acting_as(actor):
        programme = lock_programme(programme_id)
        move = workflow.PROGRAMME.allow(actor, programme, "close_appraisal")
        percent = policies.policy(programme.congress, "livelihood.unsatisfied_percent")
        period = int(policies.policy(programme.congress, "livelihood.correction_period"))
        calendar, tally, failed, appraisals = Calendar.load(), counts(programme), [], []
        for candidate in chosen(programme):
            n = tally.get(candidate.pk, {})
            appraisal = Appraisal(
                candidate=candidate, satisfied=n.get(Verdict.SATISFIED, 0),
                basically_satisfied=n.get(Verdict.BASICALLY_SATISFIED, 0),
                dissatisfied=n.get(Verdict.DISSATISFIED, 0), status=AppraisalStatus.PASSED,
            )  # fmt: skip
            if fails(appraisal.dissatisfied, n.get("total", 0), percent):
                appraisal.status = AppraisalStatus.CORRECTING
                appraisal.correct_by = calendar.add(today, period, "workdays").date
                appraisal.save()
                deadlines.open_deadline(
                    subject=appraisal, kind=CORRECTION_DEADLINE, start=today, value=period, unit="workdays",
                    congress=programme.congress, responsible_org=candidate.department, calendar=calendar, new=True,
                )  # fmt: skip
                failed.append(candidate.number)
            else:
                appraisal.save()
            appraisals.append(appraisal)
        move.apply(changes={"unsatisfactory": ([], failed)})
        events.appraisal_closed(programme, appraisals)
    return programme


def _lock_appraisal(appraisal_id) -> Appraisal:
    appraisal = (
        Appraisal.objects.select_for_update(of=("self",)).select_related("candidate__programme__congress")
        .filter(pk=appraisal_id).first()
    )  # fmt: skip
    if appraisal is None:
        raise RuleViolation(_("The appraisal does not exist."))
    return appraisal


def report_correction(*, actor, appraisal_id: int, report: str) -> Appraisal:
    """The responsible department's officers report how they corrected an unsatisfactory project."""
    report = (report or "").strip()
    if not report:
        raise RuleViolation(fields={"report": [_("Describe the correction.")]})
    with transaction.atomic(), audit.acting_as(actor):
        appraisal = _lock_appraisal(appraisal_id)
        scope.require(actor, "livelihood.correct", appraisal)
        if appraisal.status not in (AppraisalStatus.CORRECTING, AppraisalStatus.REPORTED):
            raise Conflict(_("This project is not waiting for a correction report."))
        appraisal.report, appraisal.reported_at, appraisal.reported_by = report, timezone.now(), actor
        appraisal.status = AppraisalStatus.REPORTED
        appraisal.save()
        deadlines.close_deadline(appraisal, CORRECTION_DEADLINE)
    return appraisal


def close_correction(*, actor, appraisal_id: int, note: str = "") -> Appraisal:
    """Staff close a reported correction."""
    with transaction.atomic(), audit.acting_as(actor):
        appraisal = _lock_appraisal(appraisal_id)
        scope.require(actor, "livelihood.manage", appraisal)
        if appraisal.status != AppraisalStatus.REPORTED:
            raise Conflict(_("Close a correction once the department has reported it."))
        appraisal.status, appraisal.closed_at, appraisal.closed_by = AppraisalStatus.CLOSED, timezone.now(), actor
        appraisal.closing_note = (note or "").strip()[:1000]
        appraisal.save()
    return appraisal
