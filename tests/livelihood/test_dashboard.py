"""The livelihood panel of the staff dashboard: the current programme's phase and proposals by status, the turnout
while the vote is open (a count of the deputies present), and once counted the projects chosen with their votes.
A congress without a programme shows no panel; another congress's programme is not counted."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from congress import dashboard
from livelihood import services

from . import factories as f

pytestmark = pytest.mark.django_db

core = f.core


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _panels(user):
    return {p.key: p for p in dashboard.build(user).panels if p.key.startswith("livelihood")}


def test_no_programme_no_panel(staff):
    assert _panels(staff) == {}


def test_the_panel_counts_proposals_by_status_and_names_the_phase(staff, congress):
    f.with_candidates(staff, congress, n_candidates=4, projects=3, n_proposals=6)
    panel = _panels(staff)["livelihood-proposals"]
    counts = {row.label: row.values[0] for row in panel.rows}
    assert counts["put to the vote"] == 4 and counts["not put to the vote"] == 2 and counts["received"] == 0
    assert "candidates confirmed" in panel.summary
    assert "livelihood-chosen" not in _panels(staff)


def test_turnout_during_the_vote_is_a_count_of_the_present(staff, congress, ready):
    prog, candidates = ready
    voters = f.deputies(congress, 4)
    services.open_vote(actor=staff, programme_id=prog.pk, present=4)
    for voter in voters[:3]:
        services.cast_vote(actor=voter.person.user, programme_id=prog.pk, candidate_ids=[candidates[0].pk])
    assert "3 of 4 deputies present have voted (75.0%)" in _panels(staff)["livelihood-proposals"].summary


def test_the_chosen_projects_show_with_their_votes(staff, congress):
    prog, candidates = f.with_candidates(staff, congress, n_candidates=4, projects=3)
    voters = f.deputies(congress, 3)
    services.open_vote(actor=staff, programme_id=prog.pk, present=3)
    for voter, picks in zip(voters, [[0, 1, 2], [0, 1, 2], [0, 1, 3]], strict=True):
        services.cast_vote(
            actor=voter.person.user, programme_id=prog.pk, candidate_ids=[candidates[i].pk for i in picks]
        )
    services.close_vote(actor=staff, programme_id=prog.pk)
    panel = _panels(staff)["livelihood-chosen"]
    expected = [(f"{n + 1}. {candidates[n].title}", [votes]) for n, votes in ((0, 3), (1, 3), (2, 2))]
    assert [(row.label, row.values) for row in panel.rows] == expected
    assert panel.summary == "3 of 3 projects chosen"


def test_another_congresss_programme_is_not_shown(staff, elsewhere):
    assert _panels(staff) == {}


def test_the_panel_reads_a_few_queries_whatever_the_proposals(staff, congress):
    f.with_candidates(staff, congress, n_candidates=4, projects=3, n_proposals=20)
    view = dashboard.View(user=staff, congress=congress, congresses=[congress], today=None)
    from livelihood import dashboard as panel

    with CaptureQueriesContext(connection) as queries:
        panel.panels(view)
    assert len(queries) <= 4
