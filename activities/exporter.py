"""Activities as .xlsx, with Chinese headers like the other exports: the staff list (the manage page's filters), one
activity's roster (invited deputies with their answer and attendance at each sitting, and the non-deputy
participants), its findings with what became of each, and a term's report-to-voters coverage. Deputies' mobile
phones are masked unless the reader may see personal data (deputies.view_personal_data), as in the roster export."""

import io

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from deputies import idnumbers

from .models import Attendance, InvitationStatus, OutcomeKind


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _day(value) -> str:
    return value.isoformat() if value else ""


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# The staff list


def list_header() -> list[str]:
    return [
        pgettext("deputies' activity", "activity"), _("kind"), _("organising congress"), _("organised by"),
        _("co-organising congresses"), _("theme"), _("start date"), _("end date"), _("places visited"),
        _("places for deputies"), _("places taken"), _("deputies invited"), pgettext("invitation status", "accepted"),
        _("on the waiting list"), pgettext("invitation status", "declined"), _("status"),
    ]  # fmt: skip


def list_rows(activities):
    """One row per activity, in list_header's columns; the console's export of selected rows writes these too."""
    counted = (
        activities.select_related("congress", "kind", "organiser", "organiser_group", "organiser_station")
        .prefetch_related("co_congresses")
        .annotate(
            n_invited=Count("invitations"),
            n_accepted=Count("invitations", filter=Q(invitations__status=InvitationStatus.ACCEPTED)),
            n_waiting=Count("invitations", filter=Q(invitations__status=InvitationStatus.WAITLISTED)),
            n_declined=Count("invitations", filter=Q(invitations__status=InvitationStatus.DECLINED)),
        )
    )
    for item in counted.iterator(chunk_size=2000):
        yield [
            item.title, item.kind.name, item.congress.name, str(item.organised_by),
            "、".join(c.name for c in item.co_congresses.all()), item.theme, _day(item.starts_on), _day(item.ends_on),
            item.places, item.capacity, item.taken, item.n_invited, item.n_accepted, item.n_waiting, item.n_declined,
            str(item.get_status_display()),
        ]  # fmt: skip


def console_rows(activities, user):
    """The console's Export action on activities (congress.exports): the list's columns (no personal data)."""
    return list_header(), list_rows(activities)


def list_workbook(activities) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Activities"))
    sheet.append(list_header())
    for row in list_rows(activities):
        sheet.append(row)
    return _save(book)


# One activity's roster


def roster_workbook(activity, invitations, sittings, *, unmasked: bool) -> bytes:
    """The invitations the reader may see (their own congress's deputies), one column per sitting with the
    attendance marked there, and the non-deputy participants on a second sheet."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Invited deputies"))
    sheet.append([str(activity), f"{_day(activity.starts_on)} – {_day(activity.ends_on)}"])
    sitting_heads = [
        _("sitting %(number)s, %(day)s") % {"number": s.number, "day": timezone.localtime(s.starts_at).date()}
        for s in sittings
    ]
    sheet.append([
        _("deputy"), _("congress"), _("mobile phone"), _("status"), _("answered at"), _("reason for declining"),
        *sitting_heads, _("sittings present"),
    ])  # fmt: skip
    rows = invitations.prefetch_related(Prefetch("attendance", queryset=Attendance.objects.order_by()))
    for invitation in rows.iterator(chunk_size=2000):
        person = invitation.mandate.person
        marks = {a.sitting_id: a for a in invitation.attendance.all()}
        cells = [str(marks[s.pk].get_status_display()) if s.pk in marks else "" for s in sittings]
        sheet.append([
            person.name, invitation.mandate.congress.name,
            person.phone if unmasked else idnumbers.mask_phone(person.phone), str(invitation.get_status_display()),
            _when(invitation.responded_at), invitation.decline_reason, *cells,
            sum(1 for a in marks.values() if a.status == "present"),
        ])  # fmt: skip
    others = book.create_sheet(_("Non-deputy participants"))
    others.append([_("kind"), _("name"), _("work unit or field"), _("note")])
    for participant in activity.participants.order_by("id"):
        others.append(
            [str(participant.get_kind_display()), participant.name, participant.affiliation, participant.note]
        )
    return _save(book)


# Findings and what became of them


def findings_workbook(activity, findings, today) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Findings"))
    sheet.append([str(activity), str(activity.get_status_display())])
    sheet.append([
        _("number"), _("finding"), _("outcome"), _("suggestion number"), _("suggestion"), _("suggestion status"),
        _("handling unit"), _("referred on"), _("answer due"), _("answered at"), _("the unit's answer"), _("overdue"),
    ])  # fmt: skip
    for finding in findings:
        outcome = getattr(finding, "outcome", None)
        if outcome is None:
            sheet.append([finding.number, finding.text, _("not taken up yet"), *[""] * 9])
            continue
        suggestion = outcome.suggestion if outcome.kind == OutcomeKind.DRAFT else None
        sheet.append([
            finding.number, finding.text, str(outcome.get_kind_display()),
            suggestion.number_label if suggestion else "", suggestion.title if suggestion else "",
            str(suggestion.get_status_display()) if suggestion else "", outcome.unit.name if outcome.unit_id else "",
            _day(outcome.referred_on), _day(outcome.due_on), _when(outcome.answered_at), outcome.answer,
            _yes(outcome.overdue(today)) if outcome.kind == OutcomeKind.REFERRAL else "",
        ])  # fmt: skip
    return _save(book)


# Report-to-voters coverage


def coverage_workbook(coverage) -> bytes:
    """The term's sitting deputies with their reports to voters, those short of the policy's number first."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Reports to voters"))
    sheet.append([
        f"{coverage.congress.name} {coverage.term}",
        _("%(covered)s of %(deputies)s sitting deputies have reported") % {
            "covered": coverage.covered, "deputies": coverage.deputies},
    ])  # fmt: skip
    sheet.append([_("deputy"), _("electoral unit"), _("reports given"), _("reports required"), _("reported")])
    for mandate in coverage.sitting.iterator(chunk_size=2000):
        sheet.append([
            mandate.person.name, mandate.electoral_unit.name if mandate.electoral_unit_id else "", mandate.reports,
            coverage.required, _yes(mandate.reports >= coverage.required),
        ])  # fmt: skip
    return _save(book)
