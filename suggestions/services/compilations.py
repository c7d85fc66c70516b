"""A session's documents and a year's disclosure, each one .docx or PDF written in the background (congress.jobs)
with progress, for the staff of the congress:
- the assignment list (交办清单): every suggestion of the session assigned, with its lead and co-handling units
  and due date, numbered in the congress's register like a letter;
- the compilation of suggestions (建议汇编): the session's accepted suggestions, each with its number, title,
  deputies and text, after a table of contents;
- the compilation of replies for disclosure (答复汇编): the replies published in a year, in their published text
  (personal data removed at publication, and removed again here), naming no deputy."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from congress import audit, documents, jobs, scope
from congress.models import Congress, ConsoleJob, Session

from .. import selectors
from ..models import Assignment, AssignmentStatus, CoSigner, CoSignerStatus, Kind, Status, Suggestion, UnitRole
from .closing import scrub
from .letters import FORMATS, chinese_date

LIST_JOB = "assignment_list"
SUGGESTIONS_JOB = "suggestion_compilation"
REPLIES_JOB = "reply_compilation"
# A suggestion is in the session's compilation from its acceptance (when it gets its number) on.
COMPILED = [Status.ACCEPTED, Status.ASSIGNED, Status.IN_HANDLING, Status.REPLIED, Status.REHANDLING,
            Status.FOLLOW_UP, Status.CLOSED]  # fmt: skip
SEPARATOR = "、"


@dataclass(frozen=True)
class Written:
    content: bytes
    name: str
    items: int


def _check(actor, congress: Congress, fmt: str) -> None:
    if not scope.can(actor, "suggestions.session_documents", congress):
        raise PermissionDenied
    if fmt not in FORMATS:
        raise ValueError(_("Choose .docx or PDF."))


def session_of(congress: Congress, session_id) -> Session:
    """The congress's session of that id; another congress's session is refused like a missing one."""
    session = Session.objects.select_related("term").filter(pk=session_id, term__congress=congress).first()
    if session is None:
        raise ValueError(_("Choose a session of this congress."))
    return session


def sessions_of(congress: Congress) -> list[Session]:
    return list(Session.objects.filter(term__congress=congress).select_related("term").order_by("-start_date"))


def _assignments(session: Session):
    return (
        Assignment.objects.filter(session=session, congress_id=session.term.congress_id)
        .exclude(status=AssignmentStatus.RELEASED)
        .select_related("unit", "suggestion__lead__person")
        .order_by("suggestion__number", "suggestion_id", "role", "unit__name", "id")
    )


def _compiled(session: Session):
    return Suggestion.objects.filter(
        session=session, congress_id=session.term.congress_id, kind=Kind.SUGGESTION, status__in=COMPILED
    )


def _published(congress: Congress, year: int):
    return selectors.public_list(year=year).filter(congress=congress)


def _start(actor, kind: str, title: str, params: dict, total: int) -> ConsoleJob:
    return jobs.start(actor=actor, kind=kind, title=title, params=params, total=total)


def start_assignment_list(*, actor, congress: Congress, session_id: int, fmt: str) -> ConsoleJob:
    """Write the session's assignment list in the background; staff of the congress only."""
    _check(actor, congress, fmt)
    session = session_of(congress, session_id)
    count = _assignments(session).values("suggestion_id").distinct().count()
    if not count:
        raise ValueError(_("Nothing was assigned in that session."))
    title = _("Assignment list of %(session)s (%(n)s suggestions, %(format)s)") % {
        "session": session, "n": count, "format": fmt.upper(),
    }  # fmt: skip
    params = {"congress": congress.pk, "session": session.pk, "format": fmt}
    return _start(actor, LIST_JOB, title, params, count)


def start_suggestion_compilation(*, actor, congress: Congress, session_id: int, fmt: str) -> ConsoleJob:
    """Write the session's compilation of suggestions in the background; staff of the congress only."""
    _check(actor, congress, fmt)
    session = session_of(congress, session_id)
    count = _compiled(session).count()
    if not count:
        raise ValueError(_("No suggestion of that session has been accepted."))
    title = _("Compilation of the suggestions of %(session)s (%(n)s, %(format)s)") % {
        "session": session, "n": count, "format": fmt.upper(),
    }  # fmt: skip
    params = {"congress": congress.pk, "session": session.pk, "format": fmt}
    return _start(actor, SUGGESTIONS_JOB, title, params, count)


def start_reply_compilation(*, actor, congress: Congress, year: int, fmt: str) -> ConsoleJob:
    """Write the year's compilation of published replies in the background; staff of the congress only."""
    _check(actor, congress, fmt)
    count = _published(congress, year).count()
    if not count:
        raise ValueError(_("No suggestion was published in %(year)s.") % {"year": year})
    title = _("Compilation of the replies published in %(year)s (%(n)s suggestions, %(format)s)") % {
        "year": year, "n": count, "format": fmt.upper(),
    }  # fmt: skip
    params = {"congress": congress.pk, "year": year, "format": fmt}
    return _start(actor, REPLIES_JOB, title, params, count)


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _number(suggestion: Suggestion) -> str:
    return suggestion.number_label or str(suggestion.pk)


def _frame(congress: Congress, kind: str) -> tuple[bytes, str]:
    own = documents.settings_of(congress, kind)
    return documents.template_bytes(congress, kind, own), documents.issuer_of(congress, own)


def assignment_list(*, actor, congress: Congress, session: Session, step: Callable[[int], None]) -> Written:
    """One numbered document listing every suggestion assigned in the session, one row each: its lead (or
    separately assigned) units, its co-handling units and the lead's due date."""
    template, issuer = _frame(congress, LIST_JOB)
    rows: dict[int, list[Assignment]] = {}
    for assignment in _assignments(session):
        rows.setdefault(assignment.suggestion_id, []).append(assignment)
    title = _("List of the deputies' suggestions of %(session)s assigned for handling") % {"session": session}
    # Numbered in the year the session's suggestions were assigned (a document is numbered in its year).
    year = min(a.assigned_on for assigned in rows.values() for a in assigned).year
    issued = documents.issue_number(
        actor=actor, congress=congress, kind=LIST_JOB, year=year, subject=f"session:{session.pk}",
        title=title,
    )  # fmt: skip
    items, units = [], set()
    tick = jobs.stepper(step)
    for done, assigned in enumerate(rows.values(), start=1):
        suggestion = assigned[0].suggestion
        answering = [a for a in assigned if a.role != UnitRole.CO]
        dues = sorted(a.reply_due for a in answering if a.reply_due)
        units.update(a.unit_id for a in assigned)
        items.append({
            "number": _number(suggestion), "title": suggestion.title, "lead": suggestion.lead.person.name,
            "lead_units": SEPARATOR.join(a.unit.name for a in answering),
            "co_units": SEPARATOR.join(a.unit.name for a in assigned if a.role == UnitRole.CO),
            "due": chinese_date(dues[0]) if dues else "",
        })  # fmt: skip
        tick(done)
    context = {
        "issuer": issuer, "issuer_mark": documents.issuer_mark(issuer), "number": issued.number, "title": title,
        "session": f"{congress.name}{session}", "count": len(items), "units": len(units),
        "date": chinese_date(timezone.localdate()), "contact": actor.name or actor.get_username(), "items": items,
    }  # fmt: skip
    return Written(documents.render(template, context), f"assignment-list-{session.pk}", len(items))


def suggestion_compilation(*, actor, congress: Congress, session: Session, step: Callable[[int], None]) -> Written:
    """The session's accepted suggestions in number order, each with its lead deputy, confirmed co-signers,
    category and text, after a table of contents."""
    template, issuer = _frame(congress, SUGGESTIONS_JOB)
    confirmed = CoSigner.objects.filter(status=CoSignerStatus.CONFIRMED).select_related("mandate__person")
    suggestions = (
        _compiled(session)
        .select_related("lead__person", "delegation", "category")
        .prefetch_related(Prefetch("cosigners", queryset=confirmed.order_by("id"), to_attr="confirmed"))
        .order_by("number", "id")
    )
    items = []
    tick = jobs.stepper(step)
    for done, suggestion in enumerate(suggestions.iterator(chunk_size=500), start=1):
        items.append({
            "heading": f"{_number(suggestion)}　{suggestion.title}", "lead": suggestion.lead.person.name,
            "delegation": suggestion.delegation.name if suggestion.delegation_id else "",
            "cosigners": SEPARATOR.join(c.mandate.person.name for c in suggestion.confirmed),
            "category": suggestion.category.name if suggestion.category_id else "",
            "paragraphs": _paragraphs(suggestion.content),
        })  # fmt: skip
        tick(done)
    context = {
        "issuer": issuer, "title": _("Compilation of the deputies' suggestions"),
        "subtitle": f"{congress.name}{session}", "date": chinese_date(timezone.localdate()), "items": items,
    }  # fmt: skip
    return Written(documents.render(template, context), f"suggestions-{session.pk}", len(items))


def reply_compilation(*, congress: Congress, year: int, step: Callable[[int], None]) -> Written:
    """The suggestions published in the year with the replies published with them, in their published title and
    text only: no deputy is named, and the text is scrubbed of phone and ID numbers and e-mail addresses again
    (the published copy was scrubbed at publication; a later edit must not bring personal data back)."""
    template, issuer = _frame(congress, REPLIES_JOB)
    suggestions = list(_published(congress, year).order_by("number", "id"))
    units_of = selectors.public_units(suggestions)
    roles = dict(UnitRole.choices)
    items = []
    tick = jobs.stepper(step)
    for done, suggestion in enumerate(suggestions, start=1):
        answers = [
            {"unit": assignment.unit.name, "role": str(roles.get(assignment.role, assignment.role)),
             "date": chinese_date(answer.replied_on), "result": answer.get_result_display(),
             "paragraphs": _paragraphs(scrub(answer.public_text))}
            for assignment in units_of[suggestion.pk]
            for answer in assignment.public_replies
        ]  # fmt: skip
        if answers:
            heading = f"{suggestion.number_label}　{scrub(suggestion.public_title)}".strip()
            items.append({"heading": heading, "answers": answers})
        tick(done)
    context = {
        "issuer": issuer, "title": _("Compilation of the replies to the deputies' suggestions"),
        "subtitle": _("%(congress)s, %(year)s (for disclosure)") % {"congress": congress.name, "year": year},
        "date": chinese_date(timezone.localdate()), "items": items,
    }  # fmt: skip
    return Written(documents.render(template, context), f"replies-{year}", len(items))


def _store(job: ConsoleJob, written: Written, *, contents: bool) -> None:
    """The document, or its PDF (contents updated to real pages when it has them), as the job's file."""
    if job.params["format"] == "pdf":
        pdf = documents.to_pdf_with_contents(written.content) if contents else documents.to_pdf([written.content])[0]
        content, name = pdf, f"{written.name}.pdf"
    else:
        content, name = written.content, f"{written.name}.docx"
    job.file.save(name, ContentFile(content), save=False)
    ConsoleJob.objects.filter(pk=job.pk).update(file=job.file.name)


def write_assignment_list(job: ConsoleJob, step) -> str:
    """The console job of start_assignment_list. Official documents are in Chinese whatever language the page
    that started the job spoke."""
    with translation.override(settings.LANGUAGE_CODE):
        congress = Congress.objects.get(pk=job.params["congress"])
        session = session_of(congress, job.params["session"])
        written = assignment_list(actor=job.created_by, congress=congress, session=session, step=step)
        _store(job, written, contents=False)
        audit.record(job.created_by, congress, "assignment_list", session=session.pk, suggestions=written.items)
        return _("The assignment list of %(n)s suggestions is written.") % {"n": written.items}


def write_suggestion_compilation(job: ConsoleJob, step) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        congress = Congress.objects.get(pk=job.params["congress"])
        session = session_of(congress, job.params["session"])
        written = suggestion_compilation(actor=job.created_by, congress=congress, session=session, step=step)
        _store(job, written, contents=True)
        audit.record(job.created_by, congress, "suggestion_compilation", session=session.pk, suggestions=written.items)
        return _("The compilation of %(n)s suggestions is written.") % {"n": written.items}


def write_reply_compilation(job: ConsoleJob, step) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        congress = Congress.objects.get(pk=job.params["congress"])
        written = reply_compilation(congress=congress, year=job.params["year"], step=step)
        _store(job, written, contents=True)
        audit.record(job.created_by, congress, "reply_compilation", year=job.params["year"], suggestions=written.items)
        return _("The compilation of the replies to %(n)s suggestions is written.") % {"n": written.items}
