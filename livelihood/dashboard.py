"""The livelihood panel of the staff dashboard: the congress's current programme (its latest year) with its phase,
its proposals by status, the turnout while the vote is open (how many of the deputies present have voted, never
who voted for what), and once counted the projects chosen with their votes.

Counted live: one programme a year, its proposals by status through the (programme, status) index, the turnout
count and the candidates; four queries at most whatever the numbers."""

from django.db.models import Count
from django.utils.translation import gettext as _

from congress.dashboard import Panel, Row, View

from .models import Candidate, CandidateOutcome, Programme, ProgrammeStatus, ProposalStatus, Turnout

COUNTED = (ProgrammeStatus.COUNTED, ProgrammeStatus.PUBLISHED)


def panels(view: View) -> list[Panel]:
    programme = Programme.objects.filter(congress=view.congress).order_by("-year", "-id").first()
    if programme is None:  # most congresses run none: no empty panel for them
        return []
    result = [proposals_panel(programme)]
    if programme.status in COUNTED:
        result.append(chosen_panel(programme))
    return result


def turnout_text(programme: Programme) -> str:
    voted = Turnout.objects.filter(programme=programme).count()
    if not programme.present:
        return ""
    return _("%(voted)s of %(present)s deputies present have voted (%(rate)s%%)") % {
        "voted": voted, "present": programme.present, "rate": round(100 * voted / programme.present, 1)}  # fmt: skip


def proposals_panel(programme: Programme) -> Panel:
    found = dict(programme.proposals.order_by().values_list("status").annotate(n=Count("pk")))
    url = programme.get_absolute_url()
    rows = [Row(str(label), [found.get(value, 0)], url) for value, label in ProposalStatus.choices]
    parts = [_("phase: %(phase)s") % {"phase": programme.get_status_display()}]
    if programme.status in (ProgrammeStatus.VOTING, *COUNTED):
        parts.append(turnout_text(programme))
    return Panel(
        key="livelihood-proposals",
        title=_("Livelihood projects %(year)s: proposals") % {"year": programme.year},
        columns=[_("proposals")],
        rows=rows,
        chart="hbar",
        summary="; ".join(part for part in parts if part),
        link=url,
        link_label=programme.title,
        empty=_("No proposal yet."),
    )


def chosen_panel(programme: Programme) -> Panel:
    chosen = Candidate.objects.filter(programme=programme, outcome=CandidateOutcome.CHOSEN).order_by("rank", "number")
    url = programme.get_absolute_url()
    rows = [Row(f"{c.number}. {c.title}", [c.votes or 0], url) for c in chosen]
    summary = _("%(n)s of %(projects)s projects chosen") % {"n": len(rows), "projects": programme.projects}
    if programme.tie_slots:
        summary += "; " + _("%(n)s places wait for a tie decision") % {"n": programme.tie_slots}
    return Panel(
        key="livelihood-chosen",
        title=_("Livelihood projects %(year)s: chosen") % {"year": programme.year},
        columns=[_("votes")],
        rows=rows,
        chart="hbar",
        summary=summary,
        link=url,
        link_label=programme.title,
        empty=_("No project reached the majority."),
    )
