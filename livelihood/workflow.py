"""The programme's state machine, as a congress.transitions table.

  draft --open_solicitation--> soliciting --close_solicitation--> screening --confirm_candidates--> candidates
  candidates --open_vote--> voting --close_vote--> counted --publish--> published
  published --open_appraisal--> appraising --close_appraisal--> appraised

The vote opens and closes under the presidium's control (staff acting for it); while it is open the deputies
present vote; closing counts and cuts (tally.py), and a tie at the cut-off waits in `counted` for a recorded
decision before the results can be published. Published results change only by a recorded correction
(corrections.py). While the vote is open the tellers enter paper ballots (paper.py). At the year's end the deputies
rate the chosen projects; closing the appraisal sends the unsatisfactory ones back to their departments
(appraisal.py)."""

from django.utils.translation import gettext_lazy, pgettext_lazy

from congress.transitions import Machine, t

from .models import ProgrammeStatus

S = ProgrammeStatus
CARRIED = {S.PUBLISHED, S.APPRAISING, S.APPRAISED}


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
        "issue_paper": t({S.VOTING}, None, "livelihood.manage", gettext_lazy("given a paper ballot to a deputy")),
        "enter_paper": t({S.VOTING}, None, "livelihood.manage", gettext_lazy("given a paper ballot's entry")),
        # Venue tablets (venue.py): enrolled before or during the vote, withdrawn at any time.
        "enrol_tablet": t({S.CANDIDATES, S.VOTING}, None, "livelihood.manage", gettext_lazy("given a voting tablet")),
        "withdraw_tablet": t(set(S), None, "livelihood.manage", gettext_lazy("relieved of a voting tablet")),
        "correct": t({S.PUBLISHED, S.APPRAISING, S.APPRAISED}, None, "livelihood.manage",
                     gettext_lazy("given a correction of its results")),
        "open_appraisal": t({S.PUBLISHED}, S.APPRAISING, "livelihood.manage",
                            gettext_lazy("opened to the year-end appraisal")),
        "rate": t({S.APPRAISING}, None, None, gettext_lazy("given a rating")),
        "close_appraisal": t({S.APPRAISING}, S.APPRAISED, "livelihood.manage",
                             gettext_lazy("closed to the appraisal and counted")),
        # Carrying out: from the results' publication through the year-end appraisal and its corrections, each
        # chosen project is carried out (carrying.py); the rules are asked of the project, the audit entries
        # written on the milestone, report, group or visit.
        "set_milestone": t(CARRIED, None, "livelihood.plan", gettext_lazy("milestone set")),
        "complete_milestone": t(CARRIED, None, "livelihood.report", gettext_lazy("milestone done")),
        "report_progress": t(CARRIED, None, "livelihood.report", gettext_lazy("progress reported")),
        "assign_supervision": t(CARRIED, None, "livelihood.manage",
                                gettext_lazy("supervision group assigned")),
        "record_visit": t(CARRIED, None, "livelihood.visit", gettext_lazy("site visit recorded")),
    },
    refusal=gettext_lazy("The programme is %(state)s: it cannot be %(action)s now."),
    state_label=lambda state: ProgrammeStatus(state).label,
)  # fmt: skip
