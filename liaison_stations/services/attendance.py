"""Attendance at a held reception day recorded by the station's manager, and the deputy's answer: only a
confirmed attendance becomes a visit in the deputy's duty record, as a check-in does."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import audit, scope
from congress.errors import Conflict, InvalidTransition, RuleViolation

from .. import notices, workflow
from ..models import Activity, Attendance, Reception, ReceptionStatus, Visit
from ..selectors import attendance_candidates
from .common import create_visit


def mark_present(*, actor, reception_id: int, mandate_ids) -> list[Attendance]:
    """Record deputies stationed at the station present at a held reception day; each is asked to confirm."""
    with transaction.atomic(), audit.acting_as(actor):
        reception = (
            Reception.objects.select_for_update(of=("self",)).select_related("station__congress").get(pk=reception_id)
        )
        scope.require(actor, workflow.RUN_STATION, reception.station)
        if reception.status != ReceptionStatus.HELD:
            raise InvalidTransition(
                _("Deputies can be recorded present only at a reception day recorded as held; this one is %(state)s.")
                % {"state": reception.get_status_display()}
            )
        ids = list(mandate_ids)
        if not ids:
            raise RuleViolation(fields={"mandates": [_("Choose at least one deputy.")]})
        mandates = scope.referenced(
            attendance_candidates(reception).select_for_update(of=("self",)), ids, field="mandates",
            message=_("Choose deputies stationed at this station who are not yet recorded at this reception day."),
        )  # fmt: skip
        created = []
        for mandate in mandates:
            attendance = Attendance.objects.create(reception=reception, mandate=mandate, marked_by=actor)
            audit.record(actor, attendance, "mark_present")
            notices.enqueue("attendance_marked", attendance.pk)
            created.append(attendance)
    return created


def _lock_attendance(attendance_id: int) -> Attendance:
    return (
        Attendance.objects.select_for_update(of=("self",))
        .select_related("reception__station", "mandate__person", "marked_by")
        .get(pk=attendance_id)
    )


def confirm_attendance(*, actor, attendance_id: int) -> Attendance:
    """The deputy confirms being present: the visit enters their duty record."""
    with transaction.atomic(), audit.acting_as(actor):
        attendance = _lock_attendance(attendance_id)
        move = workflow.ATTENDANCE.allow(actor, attendance, "confirm")
        reception = attendance.reception
        if Visit.objects.filter(mandate_id=attendance.mandate_id, reception=reception).exists():
            raise Conflict(_("A visit at this reception day is already in your duty record."))
        attendance.visit = create_visit(
            mandate=attendance.mandate, station=reception.station, activity=Activity.RECEPTION,
            visited_at=timezone.make_aware(datetime.combine(reception.date, reception.start_time)),
            citizens_received=reception.citizens_received, topics=reception.topic, channel=Visit.Channel.MANAGER,
            actor=attendance.marked_by, reception=reception, flag_reason="",
        )  # fmt: skip
        attendance.answered_at = timezone.now()
        move.apply(fields=["visit", "answered_at"])
    return attendance


def decline_attendance(*, actor, attendance_id: int) -> Attendance:
    """The deputy says they were not present: nothing enters the duty record."""
    with transaction.atomic(), audit.acting_as(actor):
        attendance = _lock_attendance(attendance_id)
        move = workflow.ATTENDANCE.allow(actor, attendance, "decline")
        attendance.answered_at = timezone.now()
        move.apply(fields=["answered_at"])
    return attendance
