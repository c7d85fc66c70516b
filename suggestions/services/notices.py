"""Notices (通知, 函) on the handling of suggestions, as official documents numbered in the congress's register:

- the supervision notice (督办通知) of a key supervision item, to the lead units of its suggestions, with what the
  supervisor requires and by when; written at once (one short document);
- the reminder letters (催办函) to the units whose replies are overdue (a unit's assignment still owing its reply
  or co-handling opinion after its reply deadline, as the review list's overdue filter counts it), one per unit
  listing its overdue suggestions with the days overdue; written in the background with progress (congress.jobs),
  as a zip of .docx or one PDF, like the assignment letters."""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from congress import audit, documents, jobs, scope
from congress.models import Congress, ConsoleJob, Organisation

from .. import selectors
from ..models import Assignment, AssignmentStatus, KeySupervision, UnitRole
from .letters import FORMATS, chinese_date

NOTICE_KIND = "supervision_notice"
REMINDER_KIND = "reminder_letter"
REMINDERS_JOB = "reminder_letters"


def _safe(name: str) -> str:
    return "".join("_" if char in '\\/:*?"<>|' else char for char in name)[:80]


# The supervision notice


def supervision_notice(*, actor, item_id: int, requirements: str, report_by: date) -> tuple[str, bytes]:
    """(document number, .docx) of a key item's supervision notice to the lead units of its suggestions: its
    supervisor (the leader, staff or supervisors of the congress) only. The same item and date keep their number."""
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic(), audit.acting_as(actor):
        item = KeySupervision.objects.select_related("leader", "committee", "congress").get(pk=item_id)
        scope.require(actor, "suggestions.supervise", item)
        assignments = list(
            Assignment.objects.filter(suggestion__key_supervisions=item)
            .exclude(status=AssignmentStatus.RELEASED)
            .select_related("unit", "suggestion__lead__person")
            .order_by("suggestion__number", "suggestion_id", "unit__name", "pk")
        )
        leads = [a for a in assignments if a.role == UnitRole.LEAD]
        if not leads:
            raise ValueError(_("None of the item's suggestions has a lead unit yet."))
        recipients = list(dict.fromkeys(a.unit.name for a in leads))
        congress = item.congress
        own = documents.settings_of(congress, NOTICE_KIND)
        issuer = documents.issuer_of(congress, own)
        title = _("Notice on the key supervision of %(item)s") % {"item": f"“{item.title}”"}
        issued = documents.issue_number(
            actor=actor, congress=congress, kind=NOTICE_KIND, year=report_by.year,
            subject=f"{item.pk}:{report_by.isoformat()}", title=title,
        )  # fmt: skip
        by_suggestion: dict[int, list[Assignment]] = {}
        for assignment in leads:
            by_suggestion.setdefault(assignment.suggestion_id, []).append(assignment)
        rows = []
        for assigned in by_suggestion.values():
            suggestion = assigned[0].suggestion
            dues = sorted(a.reply_due for a in assigned if a.reply_due)
            rows.append({"number": suggestion.number_label or suggestion.pk, "title": suggestion.title,
                         "lead": suggestion.lead.person.name, "units": "、".join(a.unit.name for a in assigned),
                         "due": chinese_date(dues[0]) if dues else ""})  # fmt: skip
        supervisor = "、".join(
            name for name in (item.leader.name if item.leader else "", item.committee.name if item.committee else "")
            if name
        )  # fmt: skip
        context = {
            "issuer": issuer, "issuer_mark": documents.issuer_mark(issuer), "number": issued.number, "title": title,
            "recipient": "、".join(recipients), "item_title": item.title, "year": item.year,
            "supervisor": supervisor or issuer, "count": len(rows),
            "requirements": [line.strip() for line in requirements.splitlines() if line.strip()],
            "report_by": chinese_date(report_by), "date": chinese_date(timezone.localdate()),
            "contact": actor.name or actor.get_username(), "items": rows,
        }  # fmt: skip
        docx = documents.render(documents.template_bytes(congress, NOTICE_KIND, own), context)
        audit.record(actor, item, "supervision_notice_written", number=issued.number)
    return issued.number, docx


def notice_file(*, actor, item_id: int, requirements: str, report_by: date, fmt: str) -> tuple[str, bytes, str]:
    """The notice as a file to download: (file name, content, content type)."""
    if fmt not in FORMATS:
        raise ValueError(_("Choose .docx or PDF."))
    number, docx = supervision_notice(actor=actor, item_id=item_id, requirements=requirements, report_by=report_by)
    if fmt == "pdf":
        return _safe(f"{number} 督办通知.pdf"), documents.to_pdf([docx])[0], documents.PDF
    return _safe(f"{number} 督办通知.docx"), docx, documents.DOCX


# Reminder letters to overdue units


def overdue_assignments(congress: Congress, today: date):
    """The congress's assignments whose reply (or co-handling opinion) is overdue today."""
    return Assignment.objects.filter(congress=congress).filter(selectors.overdue_q(today))


def overdue_units(congress: Congress, today: date) -> list[tuple[Organisation, int]]:
    """Each unit with overdue assignments and how many, by name."""
    counts: dict[int, int] = {}
    for unit_id in overdue_assignments(congress, today).values_list("unit_id", flat=True):
        counts[unit_id] = counts.get(unit_id, 0) + 1
    units = Organisation.objects.in_bulk(counts)
    return sorted(((units[pk], n) for pk, n in counts.items()), key=lambda row: (row[0].name, row[0].pk))


def start_reminder_letters(*, actor, congress: Congress, fmt: str) -> ConsoleJob:
    """Write today's reminder letters to the congress's overdue units in the background; its staff only."""
    if not scope.can(actor, "suggestions.reminder_letters", congress):
        raise PermissionDenied
    if fmt not in FORMATS:
        raise ValueError(_("Choose .docx or PDF."))
    today = timezone.localdate()
    units = len(overdue_units(congress, today))
    if not units:
        raise ValueError(_("No unit is overdue."))
    title = _("Reminder letters of %(day)s (%(n)s units, %(format)s)") % {
        "day": chinese_date(today), "n": units, "format": fmt.upper(),
    }  # fmt: skip
    params = {"congress": congress.pk, "today": today.isoformat(), "format": fmt}
    return jobs.start(actor=actor, kind=REMINDERS_JOB, title=title, params=params, total=units)


def reminder_letters(*, actor, congress: Congress, today: date, step=None) -> list[tuple]:
    """(document number, unit name, .docx) of each overdue unit, numbered in the congress's register: a unit's
    letter of the same day written again keeps its number. Days overdue are calendar days after the deadline."""
    own = documents.settings_of(congress, REMINDER_KIND)
    template = documents.template_bytes(congress, REMINDER_KIND, own)
    issuer = documents.issuer_of(congress, own)
    rows = (
        overdue_assignments(congress, today)
        .select_related("unit", "suggestion__lead__person")
        .order_by("unit__name", "unit_id", "reply_due", "suggestion__number", "pk")
    )
    by_unit: dict[int, list[Assignment]] = {}
    for assignment in rows:
        by_unit.setdefault(assignment.unit_id, []).append(assignment)
    roles = dict(UnitRole.choices)
    title = _("Letter urging the handling of the deputies' suggestions")
    written = []
    for done, overdue in enumerate(by_unit.values(), start=1):
        unit = overdue[0].unit
        issued = documents.issue_number(
            actor=actor, congress=congress, kind=REMINDER_KIND, year=today.year,
            subject=f"{today.isoformat()}:{unit.pk}", title=title,
        )  # fmt: skip
        context = {
            "issuer": issuer, "issuer_mark": documents.issuer_mark(issuer), "number": issued.number,
            "title": title, "recipient": unit.name, "today": chinese_date(today), "count": len(overdue),
            "date": chinese_date(today), "contact": actor.name or actor.get_username(),
            "items": [
                {"number": a.suggestion.number_label or a.suggestion.pk, "title": a.suggestion.title,
                 "lead": a.suggestion.lead.person.name, "role": str(roles.get(a.role, a.role)),
                 "due": chinese_date(a.reply_due), "days": (today - a.reply_due).days}
                for a in overdue
            ],
        }  # fmt: skip
        written.append((issued.number, unit.name, documents.render(template, context)))
        if step is not None:
            step(done)
    return written


def write_reminder_letters(job: ConsoleJob, step) -> str:
    """The console job: the letters, then the zip or the PDF as the job's file, in Chinese whatever language the
    page that started it spoke."""
    with translation.override(settings.LANGUAGE_CODE):
        params = job.params
        congress = Congress.objects.get(pk=params["congress"])
        today = date.fromisoformat(params["today"])
        written = reminder_letters(actor=job.created_by, congress=congress, today=today, step=step)
        named = [(f"{number} {unit}", docx) for number, unit, docx in written]
        name, content = documents.bundle(named, params["format"], f"reminder-letters-{today:%Y%m%d}")
        job.file.save(name, ContentFile(content), save=False)
        ConsoleJob.objects.filter(pk=job.pk).update(file=job.file.name)
        audit.record(job.created_by, congress, "reminder_letters", day=params["today"], letters=len(written))
        return _("%(n)s reminder letters written.") % {"n": len(written)}
