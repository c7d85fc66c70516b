"""The programme's state machine, as a congress.transitions table.

  draft --open_solicitation--> soliciting --close_solicitation--> screening --confirm_candidates--> candidates
  candidates --open_vote--> voting --close_vote--> counted --publish--> published

The vote opens and closes under the presidium's control (staff acting for it); while it is open the deputies
present vote; closing counts and cuts (tally.py), and a tie at the cut-off waits in `counted` for a recorded
decision before the results can be published. Published results change only by a recorded correction."""

from django.utils.translation import gettext_lazy, pgettext_lazy

from congress.transitions import Machine, t

from .models import ProgrammeStatus

S = ProgrammeStatus


PROGRAMME = Machine(
    name="programme",
    transitions={
        "edit": t({S.DRAFT, S.SOLICITING}, None, "livelihood.manage", pgettext_lazy("programme action", "edited")),
        "open_solicitation": t({S.DRAFT}, S.SOLICITING, "livelihood.manage",
                               gettext_lazy("opened for proposals")),
        "propose": t({S.SOLICITING}, None, None, gettext_lazy("given a proposal")),
        "merge": t({S.SOLICITING, S.SCREENING}, None, "livelihood.manage", gettext_lazy("given a merge")),
        "close_solicitation": t({S.SOLICITING}, S.SCREENING, "livelihood.manage",
                                gettext_lazy("closed to proposals")),
        "assess": t({S.SOLICITING, S.SCREENING}, None, None, gettext_lazy("given an assessment")),
        "confirm_candidates": t({S.SCREENING}, S.CANDIDATES, "livelihood.manage",
                                gettext_lazy("given its candidate list")),
        "open_vote": t({S.CANDIDATES}, S.VOTING, "livelihood.manage", gettext_lazy("opened to the vote")),
        "vote": t({S.VOTING}, None, None, gettext_lazy("voted in")),
        "close_vote": t({S.VOTING}, S.COUNTED, "livelihood.manage", gettext_lazy("closed to the vote and counted")),
        "break_tie": t({S.COUNTED}, None, "livelihood.manage", gettext_lazy("given a tie decision")),
        "publish": t({S.COUNTED}, S.PUBLISHED, "livelihood.manage", gettext_lazy("published")),
        # Carrying out: while the results stand published, each chosen project is carried out (carrying.py); the
        # rules are asked of the project, the audit entries written on the milestone, report, group or visit.
        "set_milestone": t({S.PUBLISHED}, None, "livelihood.plan", gettext_lazy("milestone set")),
        "complete_milestone": t({S.PUBLISHED}, None, "livelihood.report", gettext_lazy("milestone done")),
        "report_progress": t({S.PUBLISHED}, None, "livelihood.report", gettext_lazy("progress reported")),
        "assign_supervision": t({S.PUBLISHED}, None, "livelihood.manage",
                                gettext_lazy("supervision group assigned")),
        "record_visit": t({S.PUBLISHED}, None, "livelihood.visit", gettext_lazy("site visit recorded")),
    },
    refusal=gettext_lazy("The programme is %(state)s: it cannot be %(action)s now."),
    state_label=lambda state: ProgrammeStatus(state).label,
)  # fmt: skip
