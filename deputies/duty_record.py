"""A deputy's duty record (履职档案) as a document to print: the person, the yearly points and grades, what they
did by kind, and every entry, for a year or the whole term of one mandate. Who may read it is who may see the
mandate (the deputy themselves, the staff of its congress's region); it holds no ID number or phone."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from congress import documents

from . import selectors
from .models import DutyEntry, Mandate

KIND = "duty_record"
PERIODS = ("year", "term")
FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class Document:
    content: bytes
    filename: str
    content_type: str


def chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _number(value: Decimal) -> str:
    """Points as people write them: 12, 1.5 (no trailing zeros)."""
    text = f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)
    return text


def years_of(mandate: Mandate, period: str, year: int) -> list[int]:
    """The years the record covers: one, or each year of the term up to this one."""
    if period == "year":
        return [year]
    last = min(mandate.term.end_date.year, timezone.localdate().year)
    return list(range(mandate.term.start_date.year, max(last, mandate.term.start_date.year) + 1))


def context(mandate: Mandate, *, period: str, year: int) -> dict:
    person, term = mandate.person, mandate.term
    years = years_of(mandate, period, year)
    scores, summary = [], {}
    for each in years:
        report = selectors.points_report(Mandate.objects.filter(pk=mandate.pk), each)[mandate.pk]
        scores.append({"year": each, "base": _number(report["base"]), "additions": _number(report["additions"]),
                       "deductions": _number(report["deductions"]), "score": _number(report["score"]),
                       "grade": str(report["grade_label"])})  # fmt: skip
        for line in report["lines"]:
            count, points = summary.get(line.name, (Decimal(0), Decimal(0)))
            summary[line.name] = (count + line.quantity, points + line.counted)
    entries = selectors.with_unit_points(
        DutyEntry.objects.filter(mandate=mandate, year__in=years).select_related("kind").order_by("date", "id")
    )
    basics = [
        (_("full name"), person.name),
        (_("gender"), person.get_gender_display()),
        (_("ethnic group"), person.ethnic_group.name),
        (_("birth date"), f"{person.birth_date.year}年{person.birth_date.month}月"),
        (_("political affiliation"), person.party.name),
        (_("education"), person.get_education_display()),
        (_("work unit and title"), person.work_unit or "—"),
        (_("congress"), f"{mandate.congress.name}第{term.number}届"),
        (_("delegation or electoral unit"), str(mandate.delegation or mandate.electoral_unit or "—")),
        (_("deputy groups"), mandate.group_names or "—"),
        (_("elected on"), chinese_date(mandate.start_date)),
        (_("status"), mandate.get_status_display()),
    ]
    if period == "year":
        label = _("year %(year)s") % {"year": year}
    else:
        start, end = chinese_date(term.start_date), chinese_date(term.end_date)
        label = _("term %(number)s, %(start)s to %(end)s") % {"number": term.number, "start": start, "end": end}
    return {
        "congress": mandate.congress.name,
        "issuer": documents.issuer_of(mandate.congress),
        "title": _("Duty record of deputy %(name)s") % {"name": person.name},
        "period": label,
        "date": chinese_date(timezone.localdate()),
        "basics": [{"label": str(name), "value": value} for name, value in basics],
        "scores": scores,
        "summary": [
            {"kind": name, "count": _number(count), "points": _number(points)}
            for name, (count, points) in summary.items()
        ],  # fmt: skip
        "entries": [
            {
                "date": entry.date.isoformat(),
                "kind": entry.kind.name,
                "title": entry.title,
                "points": _number(entry.unit_points * entry.quantity),
            }
            for entry in entries
        ],  # fmt: skip
    }


def duty_record(*, mandate: Mandate, period: str, year: int, fmt: str) -> Document:
    """The record as .docx or PDF; the caller has checked that the reader may see the mandate. Written in Chinese
    whatever the page's language, as the office's other documents are."""
    if period not in PERIODS:
        raise ValueError(_("Choose a year or the whole term."))
    if fmt not in FORMATS:
        raise ValueError(_("Choose .docx or PDF."))
    with translation.override(settings.LANGUAGE_CODE):
        filled = context(mandate, period=period, year=year)
    content = documents.render(documents.template_bytes(mandate.congress, KIND), filled)
    stem = f"duty-record-{mandate.pk}-{year if period == 'year' else f'term-{mandate.term.number}'}"
    if fmt == "pdf":
        return Document(documents.to_pdf([content])[0], f"{stem}.pdf", documents.PDF)
    return Document(content, f"{stem}.docx", documents.DOCX)
