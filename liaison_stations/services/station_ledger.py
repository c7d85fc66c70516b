"""A station's ledger (台账) for a period, as a document to print and file: its reception days, the deputies' duty
visits and the citizens' opinions received with how each was handled. A record rather than a notice, so it takes
no document number. Citizens are not named, and any phone or ID number written in an opinion, an answer or a
topic is masked (congress.redaction), whoever downloads it: the ledger is printed and filed."""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from congress import audit, documents, scope
from congress.redaction import redact

from ..models import CitizenOpinion, OpinionStatus, Reception, Station, Visit

KIND = "station_ledger"
FORMATS = ("docx", "pdf")
CLOSED = (OpinionStatus.ANSWERED, OpinionStatus.UNIT_REPLIED, OpinionStatus.TO_SUGGESTION, OpinionStatus.DECLINED,
          OpinionStatus.CLOSED)  # fmt: skip
OUTCOME_LENGTH = 200


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _short(text: str, length: int = OUTCOME_LENGTH) -> str:
    text = " ".join(redact(text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _subject(opinion: CitizenOpinion) -> str:
    """The opinion's first line, masked before it is cut (a number cut in half would escape the mask)."""
    first = next((line.strip() for line in redact(opinion.content).splitlines() if line.strip()), "")
    return _short(first, opinion.SUBJECT_LENGTH)


def _outcome(opinion: CitizenOpinion) -> str:
    """How the opinion was handled, in words: the answer, the unit's reply, the reason declined, the feedback."""
    details = [str(opinion.get_decline_reason_display())] if opinion.decline_reason else []
    details += [text for text in (opinion.answer, opinion.unit_reply, opinion.feedback) if text.strip()]
    status = str(opinion.get_status_display())
    return _short(f"{status}：{'；'.join(details)}" if details else status)


def ledger_context(station: Station, start: date, end: date) -> dict:
    """What the ledger lists for the period (both days included)."""
    receptions = (
        Reception.objects.filter(station=station, date__range=(start, end))
        .prefetch_related("deputies__person")
        .order_by("date", "start_time", "pk")
    )
    visits = (
        Visit.objects.filter(station=station, visited_at__date__range=(start, end))
        .select_related("mandate__person")
        .order_by("visited_at", "pk")
    )
    opinions = (
        CitizenOpinion.objects.filter(station=station, received_at__date__range=(start, end))
        .select_related("referred_unit")
        .order_by("received_at", "pk")
    )
    opinions = list(opinions)
    return {
        "station": station.name, "start": chinese_date(start), "end": chinese_date(end),
        "date": chinese_date(timezone.localdate()),
        "receptions": [
            {"date": chinese_date(r.date), "time": f"{r.start_time:%H:%M}–{r.end_time:%H:%M}", "topic": _short(r.topic),
             "deputies": "、".join(sorted(m.person.name for m in r.deputies.all())),
             "citizens": r.citizens_received, "status": str(r.get_status_display())}
            for r in receptions
        ],
        "visits": [
            {"date": chinese_date(timezone.localtime(v.visited_at).date()), "deputy": v.mandate.person.name,
             "activity": str(v.get_activity_display()), "citizens": v.citizens_received, "topics": _short(v.topics)}
            for v in visits
        ],
        "opinions": [
            {"code": o.tracking_code, "date": chinese_date(timezone.localtime(o.received_at).date()),
             "category": str(o.get_category_display()), "subject": _subject(o),
             "route": str(o.get_route_display()) if o.route else "", "outcome": _outcome(o),
             "unit": o.referred_unit.name if o.referred_unit else ""}
            for o in opinions
        ],
        "closed": sum(o.status in CLOSED for o in opinions),
    }  # fmt: skip


def ledger_file(*, actor, station_id: int, start: date, end: date, fmt: str) -> tuple[str, bytes, str]:
    """The station's ledger as a file to download (name, content, content type): its managers and the staff of
    its congress."""
    station = Station.objects.select_related("congress").get(pk=station_id)
    if not scope.can(actor, "liaison_stations.run_station", station):
        raise PermissionDenied
    if fmt not in FORMATS:
        raise ValueError(_("Choose .docx or PDF."))
    if end < start:
        raise ValueError(_("The period ends before it starts."))
    with translation.override(settings.LANGUAGE_CODE):
        template = documents.template_bytes(station.congress, KIND)
        docx = documents.render(template, ledger_context(station, start, end))
    audit.record(actor, station, "station_ledger_written", start=start.isoformat(), end=end.isoformat())
    name = f"{station.name}台账 {start:%Y%m%d}-{end:%Y%m%d}"
    name = "".join("_" if char in '\\/:*?"<>|' else char for char in name)[:80]
    if fmt == "pdf":
        return f"{name}.pdf", documents.to_pdf([docx])[0], documents.PDF
    return f"{name}.docx", docx, documents.DOCX
