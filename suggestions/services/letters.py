"""Assignment letters (交办函): for a batch of assignments (those one congress made on one day, in one session or
between sessions), one numbered letter per handling unit listing its suggestions, as a zip of .docx files for
the office to edit and print or as one PDF. Written in the background (congress.jobs) with progress: a batch
of a session may reach hundreds of units."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from congress import audit, documents, jobs, scope
from congress.errors import RuleViolation
from congress.models import Congress, ConsoleJob, Session

from .. import workflow
from ..models import Assignment, CoSignerStatus, UnitRole
from .handling import check_reply

LETTERS_JOB = "assignment_letters"
KIND = "assignment_letter"
FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class Batch:
    assigned_on: date
    session: Session | None
    units: int
    assignments: int


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _batch(congress: Congress, assigned_on: date, session_id: int | None):
    return Assignment.objects.filter(congress=congress, assigned_on=assigned_on, session_id=session_id)


def letter_batches(congress: Congress, limit: int = 30) -> list[Batch]:
    """The congress's latest batches, newest first, with how many units and assignments each holds."""
    rows = (
        Assignment.objects.filter(congress=congress)
        .values("assigned_on", "session_id")
        .annotate(units=Count("unit_id", distinct=True), assignments=Count("id"))
        .order_by("-assigned_on", "-session_id")[:limit]
    )
    sessions = Session.objects.select_related("term").in_bulk({row["session_id"] for row in rows} - {None})
    return [
        Batch(row["assigned_on"], sessions.get(row["session_id"]), row["units"], row["assignments"]) for row in rows
    ]


def start_assignment_letters(
    *, actor, congress: Congress, assigned_on: date, session_id: int | None, fmt: str
) -> ConsoleJob:
    """Write the batch's letters in the background; staff of the congress only."""
    if not scope.can(actor, "suggestions.assignment_letters", congress):
        raise PermissionDenied
    if fmt not in FORMATS:
        raise ValueError(_("Choose .docx or PDF."))
    units = _batch(congress, assigned_on, session_id).values("unit_id").distinct().count()
    if not units:
        raise ValueError(_("No suggestion was assigned on that day."))
    title = _("Assignment letters of %(day)s (%(n)s units, %(format)s)") % {
        "day": chinese_date(assigned_on), "n": units, "format": fmt.upper(),
    }  # fmt: skip
    params = {"congress": congress.pk, "assigned_on": assigned_on.isoformat(), "session": session_id, "format": fmt}
    return jobs.start(actor=actor, kind=LETTERS_JOB, title=title, params=params, total=units)


def letters(*, actor, congress: Congress, assigned_on: date, session_id: int | None, step=None) -> list[tuple]:
    """(document number, unit name, .docx bytes) of each unit of the batch, numbered in the congress's register:
    a letter written again keeps its number."""
    own = documents.settings_of(congress, KIND)
    template = documents.template_bytes(congress, KIND, own)
    issuer = documents.issuer_of(congress, own)
    session = Session.objects.select_related("term").filter(pk=session_id).first() if session_id else None
    rows = (
        _batch(congress, assigned_on, session_id)
        .select_related("unit", "suggestion__lead__person")
        .order_by("unit__name", "unit_id", "suggestion__number", "suggestion_id")
    )
    by_unit: dict[int, list[Assignment]] = {}
    for assignment in rows:
        by_unit.setdefault(assignment.unit_id, []).append(assignment)
    roles = dict(UnitRole.choices)
    written = []
    today = timezone.localdate()
    for done, assigned in enumerate(by_unit.values(), start=1):
        unit = assigned[0].unit
        where = str(session) if session else _("the period between sessions")
        title = _("Letter on handling the deputies' suggestions of %(where)s") % {"where": where}
        subject = f"{assigned_on.isoformat()}:{session_id or 0}:{unit.pk}"
        issued = documents.issue_number(
            actor=actor, congress=congress, kind=KIND, year=assigned_on.year, subject=subject, title=title
        )
        context = {
            "issuer": issuer, "issuer_mark": documents.issuer_mark(issuer),
            "number": issued.number, "title": title, "recipient": unit.name,
            "session": where, "count": len(assigned), "date": chinese_date(today),
            "contact": actor.name or actor.get_username(),
            "items": [
                {"number": a.suggestion.number_label or a.suggestion.pk, "title": a.suggestion.title,
                 "lead": a.suggestion.lead.person.name, "role": str(roles.get(a.role, a.role)),
                 "due": chinese_date(a.reply_due) if a.reply_due else ""}
                for a in assigned
            ],
        }  # fmt: skip
        written.append((issued.number, unit.name, documents.render(template, context)))
        if step is not None:
            step(done)
    return written


def write_assignment_letters(job: ConsoleJob, step) -> str:
    """The console job: the letters, then the zip or the PDF as the job's file. Official documents are in
    Chinese whatever language the page that started the job spoke."""
    with translation.override(settings.LANGUAGE_CODE):
        return _write(job, step)


def _write(job: ConsoleJob, step) -> str:
    params = job.params
    congress = Congress.objects.get(pk=params["congress"])
    assigned_on = date.fromisoformat(params["assigned_on"])
    written = letters(
        actor=job.created_by, congress=congress, assigned_on=assigned_on, session_id=params["session"], step=step
    )
    named = [(f"{number} {unit}", docx) for number, unit, docx in written]
    name, content = documents.bundle(named, params["format"], f"assignment-letters-{assigned_on:%Y%m%d}")
    job.file.save(name, ContentFile(content), save=False)
    ConsoleJob.objects.filter(pk=job.pk).update(file=job.file.name)
    audit.record(job.created_by, congress, "assignment_letters", day=params["assigned_on"], letters=len(written))
    return _("%(n)s assignment letters written.") % {"n": len(written)}


REPLY_KIND = "reply_letter"


@dataclass(frozen=True)
class Document:
    content: bytes
    filename: str
    content_type: str


def reply_letter_draft(
    *, actor, assignment_id: int, text: str, result: str, follow_up_plan: str = "", contact_person: str = "",
    contact_phone: str = "", fmt: str = "docx",
) -> Document:  # fmt: skip
    """The unit's reply letter (答复函) as a draft, filled from the reply it is writing, for the unit to print, sign,
    stamp and upload with the reply. Nothing is stored: the reply is sent on its own form. The unit numbers the
    letter in its own register, so the number line is left for it."""
    if fmt not in FORMATS:
        raise ValueError(_("Choose .docx or PDF."))
    assignment = (
        Assignment.objects.select_related("suggestion__lead__person", "suggestion__session__term", "unit", "congress")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise PermissionDenied
    workflow.ASSIGNMENT.allow(actor, assignment, "reply")
    if not assignment.answers:
        raise RuleViolation(_("A co-handling unit sends its opinion to the lead unit; the lead unit replies."))
    check_reply(assignment.congress, text=text, result=result, follow_up_plan=follow_up_plan)
    with translation.override(settings.LANGUAGE_CODE):
        content = _reply_letter(assignment, text=text, result=result, follow_up_plan=follow_up_plan,
                                contact_person=contact_person, contact_phone=contact_phone)  # fmt: skip
    name = f"reply-letter-{assignment.suggestion.number_label or assignment.suggestion_id}"
    if fmt == "pdf":
        return Document(documents.to_pdf([content])[0], f"{documents.safe_name(name)}.pdf", documents.PDF)
    return Document(content, f"{documents.safe_name(name)}.docx", documents.DOCX)


def _reply_letter(assignment, *, text, result, follow_up_plan, contact_person, contact_phone) -> bytes:
    suggestion, unit, congress = assignment.suggestion, assignment.unit, assignment.congress
    signers = suggestion.cosigners.filter(status=CoSignerStatus.CONFIRMED).count()
    lead = suggestion.lead.person.name
    today = timezone.localdate()
    context = {
        "issuer": unit.name,
        "issuer_mark": documents.issuer_mark(unit.name, suffix=""),
        "number": f"〔{today.year}〕　号",
        "category": f"{result}类",
        # 关于<届次 会议 建议第N号>的答复; a suggestion without its number yet is named by its title
        "title": f"关于{suggestion.number_label}的答复"
        if suggestion.number_label
        else f"关于《{suggestion.title}》的答复",
        "recipient": f"{lead}等{signers + 1}位代表" if signers else f"{lead}代表",
        "suggestion_title": suggestion.title,
        "paragraphs": [line.strip() for line in text.splitlines() if line.strip()],
        "follow_up": [line.strip() for line in follow_up_plan.splitlines() if line.strip()],
        "date": chinese_date(today),
        "contact": contact_person.strip(),
        "phone": contact_phone.strip(),
        "copy_to": documents.issuer_of(congress),
    }
    return documents.render(documents.template_bytes(congress, REPLY_KIND), context)
