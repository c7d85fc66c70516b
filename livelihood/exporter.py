"""The livelihood-project vote as .xlsx, with Chinese headers like the other exports: a programme's proposals with
the office's assessment and the reason each was kept or dropped, its candidate list with the reasons (the dropped
proposals on a second sheet), and its results with every candidate's count. A citizen's phone is never written,
and neither is a ballot: the results carry counts, and turnout as a number."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .models import ProposalStatus


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Proposals


def proposals_header() -> list[str]:
    return [
        _("programme"), _("number"), _("project"), _("description"), _("area"), _("expected benefit"),
        _("proposed by"), _("proposer"), _("deputy"), _("station"), _("status"), _("merged into"), _("feasibility"),
        _("cost estimate (10,000 yuan)"), _("responsible department"), _("assessment"), _("reason kept or dropped"),
        _("received at"),
    ]  # fmt: skip


def proposals_rows(proposals):
    """One row per proposal, in proposals_header's columns (no phone); the console's export writes these too."""
    rows = proposals.select_related("programme", "mandate__person", "station", "merged_into", "department")
    for p in rows.iterator(chunk_size=2000):
        yield [
            p.programme.title, p.number, p.title, p.description, p.area, p.benefit, str(p.get_source_display()),
            p.proposer_name, p.mandate.person.name if p.mandate_id else "", p.station.name if p.station_id else "",
            str(p.get_status_display()), p.merged_into.number if p.merged_into_id else "",
            str(p.get_feasibility_display()) if p.feasibility else "", p.cost, p.department.name if p.department_id
            else "", p.assessment, p.screening_reason, _when(p.created_at),
        ]  # fmt: skip


def console_rows(proposals, user):
    """The console's Export action on proposals (congress.exports), and a long proposal export in the background."""
    return proposals_header(), proposals_rows(proposals)


def proposals_workbook(proposals) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Proposals"))
    sheet.append(proposals_header())
    for row in proposals_rows(proposals.order_by("number")):
        sheet.append(row)
    return _save(book)


# The candidate list


def candidates_workbook(programme, candidates, dropped) -> bytes:
    """The candidates in ballot order with the reason each was kept; the proposals dropped, with theirs."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Candidates"))
    sheet.append([str(programme), str(programme.get_status_display())])
    sheet.append([_("ballot number"), _("project"), _("proposal number"), _("responsible department"),
                  _("cost estimate (10,000 yuan)"), _("reason kept or dropped")])  # fmt: skip
    for c in candidates:
        sheet.append([c.number, c.title, c.proposal.number, c.department.name, c.cost, c.proposal.screening_reason])
    others = book.create_sheet(_("Proposals not put to the vote"))
    others.append([_("proposal number"), _("project"), _("area"), _("feasibility"), _("reason kept or dropped")])
    for p in dropped:
        others.append([p.number, p.title, p.area, str(p.get_feasibility_display()) if p.feasibility else "",
                       p.screening_reason])  # fmt: skip
    return _save(book)


# The results


def results_workbook(programme, candidates, voted: int, decisions) -> bytes:
    """Every candidate's votes, rank and outcome, the deputies present and how many voted, and the tie decisions."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Vote results"))
    sheet.append([str(programme), str(programme.get_status_display())])
    sheet.append([_("deputies present"), programme.present, _("deputies who voted"), voted])
    sheet.append([_("vote closed at"), _when(programme.vote_closed_at), _("results published at"),
                  _when(programme.published_at)])  # fmt: skip
    sheet.append([_("ballot number"), _("project"), _("responsible department"), _("cost estimate (10,000 yuan)"),
                  _("votes"), _("rank"), _("outcome")])  # fmt: skip
    for c in candidates:
        sheet.append([c.number, c.title, c.department.name, c.cost, c.votes, c.rank, str(c.get_outcome_display())])
    if decisions:
        ties = book.create_sheet(_("Tie decisions"))
        ties.append([_("chosen"), _("reason"), _("decided at")])
        numbers = {c.pk: c.number for c in candidates}
        for d in decisions:
            ties.append(["、".join(str(numbers.get(pk, pk)) for pk in d.candidate_ids), d.reason, _when(d.decided_at)])
    return _save(book)


def dropped(programme):
    return programme.proposals.filter(status=ProposalStatus.DROPPED).order_by("number")


# Carrying out and the year-end appraisal


def carrying_workbook(programme, projects, today) -> bytes:
    """The chosen projects as carried out: per project its department, supervision, milestones (done, overdue),
    latest progress report and spending, and the appraisal's counts; then every milestone and every report. The
    appraisal is counts only, as published: never who rated what."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Projects"))
    sheet.append([str(programme), str(programme.get_status_display())])
    sheet.append([
        _("ballot number"), _("project"), _("responsible department"), _("leading committee"), _("deputy group"),
        _("milestones"), _("milestones done"), _("milestones overdue"), _("latest report"),
        _("spent to date (10,000 yuan)"), _("site visits"), _("satisfied"), _("basically satisfied"),
        _("dissatisfied"), _("year-end appraisal"), _("correct by"),
    ])  # fmt: skip
    for p in projects:
        milestones = list(p.milestones.all())
        reports = sorted(p.progress_reports.all(), key=lambda r: (r.year, r.quarter))
        latest = reports[-1] if reports else None
        supervision = getattr(p, "supervision", None)
        appraisal = getattr(p, "appraisal", None)
        sheet.append([
            p.number, p.title, p.department.name, supervision.committee.name if supervision else "",
            supervision.group.name if supervision else "", len(milestones), sum(m.is_done for m in milestones),
            sum(m.is_overdue(today) for m in milestones),
            f"{latest.year}Q{latest.quarter}" if latest else "", latest.spent if latest else "",
            len(p.site_visits.all()), *(
                (appraisal.satisfied, appraisal.basically_satisfied, appraisal.dissatisfied,
                 str(appraisal.get_status_display()), appraisal.correct_by or "") if appraisal else ("",) * 5
            ),
        ])  # fmt: skip
    steps = book.create_sheet(_("Milestones"))
    steps.append([_("ballot number"), _("project"), _("milestone"), _("due on"), _("done at"), _("what was done")])
    for p in projects:
        for m in p.milestones.all():
            steps.append([p.number, p.title, m.title, m.due_on, _when(m.done_at), m.done_note])
    reports = book.create_sheet(_("Progress reports"))
    reports.append([_("ballot number"), _("project"), _("year"), _("quarter"), _("progress"),
                    _("spent to date (10,000 yuan)"), _("photos"), _("submitted at")])  # fmt: skip
    for p in projects:
        for r in sorted(p.progress_reports.all(), key=lambda r: (r.year, r.quarter)):
            reports.append([p.number, p.title, r.year, r.quarter, r.text, r.spent, len(r.photos.all()),
                            _when(r.created_at)])  # fmt: skip
    return _save(book)
