"""The livelihood panel of the staff dashboard: the congress's current programme (its latest year) with its phase,
its proposals by status, the turnout while the vote is open (how many of the deputies present have voted, never
who voted for what), and once counted the projects chosen with their votes.

Counted live: one programme a year, its proposals by status through the (programme, status) index, the turnout
count and the candidates; four queries at most whatever the numbers."""

from django.db.models import Count
from django.utils.translation import gettext as _

from congress.dashboard import Panel, Row, View

from .models import COUNTED_STATES, Candidate, CandidateOutcome, Programme, ProgrammeStatus, ProposalStatus, Turnout

COUNTED = COUNTED_STATES


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
    title = _("Livelihood projects %(year)s: proposals") % {"year": programme.year}
    summary = "; ".join(part for part in parts if part)
    return _panel(programme, "livelihood-proposals", title, _("proposals"), rows, summary, _("No proposal yet."))


def chosen_panel(programme: Programme) -> Panel:
    chosen = Candidate.objects.filter(programme=programme, outcome=CandidateOutcome.CHOSEN).order_by("rank", "number")
    url = programme.get_absolute_url()
    rows = [Row(f"{c.number}. {c.title}", [c.votes or 0], url) for c in chosen]
    summary = _("%(n)s of %(projects)s projects chosen") % {"n": len(rows), "projects": programme.projects}
    if programme.tie_slots:
        summary += "; " + _("%(n)s places wait for a tie decision") % {"n": programme.tie_slots}
    title = _("Livelihood projects %(year)s: chosen") % {"year": programme.year}
    empty = _("No project reached the majority.")
    return _panel(programme, "livelihood-chosen", title, _("votes"), rows, summary, empty)


def _panel(programme, key, title, column, rows, summary, empty) -> Panel:
    """A panel of one column of counts, drawn as horizontal bars, linking to the programme's page."""
    return Panel(key=key, title=title, columns=[column], rows=rows, chart="hbar", summary=summary,
                 link=programme.get_absolute_url(), link_label=programme.title, empty=empty)  # fmt: skip
