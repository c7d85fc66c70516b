"""Benchmark of the documents written in the background: a session's compilation of suggestions (建议汇编) as PDF,
on the suggestion cases' province, in a session of its own."""

import time
from datetime import timedelta

from congress import documents
from congress.models import Congress, ConsoleJob, Role, Session
from deputies.models import Mandate, MandateStatus
from suggestions import services
from suggestions.models import Category, Status, Suggestion
from suggestions.services import compilations

from .harness import Result, scaled
from .suggestion_cases import PROVINCE, SIZES, _member, grow

# A session of the provincial congress has about 2,000 suggestions (Gansu's whole term: 2,993).
SUGGESTIONS = scaled(full=2000, small=2000, tiny=20)
SESSION_NUMBER = 90  # apart from the seeded sessions
PARAGRAPH = "目前城乡接合部中小学课后服务时间普遍不足，家长接送困难，学生放学后缺少看护和学习指导。" * 4


def _session(congress: Congress) -> Session:
    """The bench's session of the provincial congress, holding SUGGESTIONS accepted suggestions of some 800
    characters each (made once; a later run reuses them)."""
    term = congress.terms.order_by("-number").first()
    session, _ = Session.objects.get_or_create(
        term=term,
        number=SESSION_NUMBER,
        defaults={"start_date": term.start_date, "end_date": term.start_date + timedelta(days=5)},
    )
    if Suggestion.objects.filter(session=session).count() < SUGGESTIONS:
        Suggestion.objects.filter(session=session).delete()
        lead = Mandate.objects.filter(congress=congress, term=term, status=MandateStatus.ACTIVE).order_by("pk").first()
        category = Category.objects.filter(congress=congress).order_by("pk").first()
        Suggestion.objects.bulk_create(
            Suggestion(congress=congress, region_code=congress.region.code, term=term, session=session, lead=lead,
                       title=f"关于加强第{n}项公共服务保障的建议", content=f"{PARAGRAPH}\n{PARAGRAPH}\n{PARAGRAPH}",
                       category=category, status=Status.ACCEPTED, sequence=f"bench-s{session.pk}", number=n,
                       number_label=f"第{term.number}届第{SESSION_NUMBER}次会议 建议第{n:04d}号")
            for n in range(1, SUGGESTIONS + 1)
        )  # fmt: skip
    return session


def suggestion_compilation() -> Result:
    """Seconds to write a session's compilation of suggestions as PDF through the console job (the rows read,
    the .docx rendered, LibreOffice laying it out with its contents updated to real page numbers), against the
    plain LibreOffice conversion of the same .docx, which leaves the contents as written."""
    grow(SIZES[0])
    congress = Congress.objects.get(region__code=PROVINCE)
    session = _session(congress)
    staff = _member("bench-documents-staff", Role.STAFF, congress=congress)
    started = time.perf_counter()
    job = services.start_suggestion_compilation(actor=staff, congress=congress, session_id=session.pk, fmt="pdf")
    job.refresh_from_db()
    figure = time.perf_counter() - started
    assert job.status == ConsoleJob.Status.DONE, job.message
    written = compilations.suggestion_compilation(actor=staff, congress=congress, session=session, step=lambda n: None)
    started = time.perf_counter()
    documents.to_pdf([written.content])
    reference = time.perf_counter() - started
    return Result(
        name="compilation of a session's suggestions (PDF with contents)",
        app="suggestions",
        size=SUGGESTIONS,
        figure_ms=figure * 1000,
        reference="LibreOffice's plain conversion of the same .docx, contents left as written",
        reference_ms=reference * 1000,
        ratio=figure / reference,
        queries=0,
        # Updating the contents lays the document out once more: at most three times the plain conversion.
        target_max=3.0,
        notes={"pdf_bytes": job.file.size, "processed": job.processed, "seconds": round(figure, 1)},
    )


CASES = [suggestion_compilation]
