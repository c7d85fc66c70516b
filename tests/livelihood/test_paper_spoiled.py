"""Spoiled paper sheets (废票) and paper ballots taken but never put in the box (issue 27): both count for nobody,
the majority's base stays the deputies present, and the count can go on once every ballot taken is accounted for."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from congress.errors import Conflict, RuleViolation
from livelihood import paper, services
from livelihood.models import Ballot, BallotState, CandidateOutcome, Channel, PaperSheetStatus

from . import factories as f

pytestmark = pytest.mark.django_db

core = f.core


@pytest.fixture
def teller2(congress):
    return core.staff_of(congress)


@pytest.fixture
def voting(staff, congress):
    """3 deputies present, 3 projects from 4 candidates: a project needs 2 votes (more than half of 3)."""
    return f.voting(staff, congress, present=3)


def enter(teller, prog, number, candidates=(), spoiled=False):
    return paper.enter_sheet(actor=teller, programme_id=prog.pk, number=number,
                             candidate_ids=[c.pk for c in candidates], spoiled=spoiled)  # fmt: skip


def take_paper(staff, prog, voters):
    for mandate in voters:
        paper.issue_paper(actor=staff, programme_id=prog.pk, mandate_id=mandate.pk)


def test_two_tellers_reading_a_sheet_as_spoiled_make_a_spoiled_ballot_without_marks(voting, staff, teller2):
    prog, _c, _voters = voting
    enter(staff, prog, 1, spoiled=True)
    sheet = enter(teller2, prog, 1, spoiled=True)
    assert sheet.status == PaperSheetStatus.SPOILED
    ballot = Ballot.objects.get(programme=prog)
    assert (ballot.channel, ballot.state, ballot.marks.count()) == (Channel.PAPER, BallotState.SPOILED, 0)
    assert paper.unmatched(prog) == []


def test_spoiled_against_marked_is_a_mismatch(voting, staff, teller2):
    prog, c, _voters = voting
    enter(staff, prog, 2, spoiled=True)
    sheet = enter(teller2, prog, 2, c[:1])
    assert sheet.status == PaperSheetStatus.MISMATCH
    assert not Ballot.objects.filter(programme=prog).exists()


def test_a_teller_corrects_a_mismatch_to_spoiled(voting, staff, teller2):
    prog, c, _voters = voting
    enter(staff, prog, 2, spoiled=True)
    enter(teller2, prog, 2, c[:1])
    sheet = enter(teller2, prog, 2, spoiled=True)
    assert sheet.status == PaperSheetStatus.SPOILED


def test_an_over_marked_sheet_is_refused_with_the_advice_to_enter_it_as_spoiled(voting, staff):
    prog, c, _voters = voting
    with pytest.raises(RuleViolation) as refused:
        enter(staff, prog, 3, c)  # 4 marks, 3 projects
    assert "candidates" in refused.value.fields


def test_a_spoiled_entry_ignores_marks(voting, staff, teller2):
    prog, c, _voters = voting
    enter(staff, prog, 4, c, spoiled=True)
    sheet = enter(teller2, prog, 4, spoiled=True)
    assert sheet.status == PaperSheetStatus.SPOILED


def test_a_ballot_not_returned_stops_the_count_until_recorded_then_counts_for_nobody(voting, staff, teller2):
    prog, c, voters = voting
    take_paper(staff, prog, voters)  # 3 taken
    for teller in (staff, teller2):
        enter(teller, prog, 1, c[:2])  # sheet 1: candidates 1 and 2
        enter(teller, prog, 2, c[:1])  # sheet 2: candidate 1; the third sheet never reaches the box
    with pytest.raises(Conflict):
        services.close_vote(actor=staff, programme_id=prog.pk)
    assert paper.record_not_returned(actor=staff, programme_id=prog.pk, reason="一名代表离场未投入票箱") == 1
    services.close_vote(actor=staff, programme_id=prog.pk)
    for candidate in c:
        candidate.refresh_from_db()
    # Candidate 1: 2 of 3 present, a majority; candidate 2: 1, not more than half of 3.
    assert [x.votes for x in c] == [2, 1, 0, 0]
    assert c[0].outcome == CandidateOutcome.CHOSEN and c[1].outcome == CandidateOutcome.NOT_CHOSEN


def test_missing_ballots_are_not_recorded_while_a_sheet_waits(voting, staff):
    prog, c, voters = voting
    take_paper(staff, prog, voters[:2])
    enter(staff, prog, 1, c[:1])  # one entry only
    with pytest.raises(Conflict):
        paper.record_not_returned(actor=staff, programme_id=prog.pk, reason="未收回")
    assert not Ballot.objects.filter(state=BallotState.NOT_RETURNED).exists()


def test_nothing_missing_is_nothing_to_record(voting, staff, teller2):
    prog, c, voters = voting
    take_paper(staff, prog, voters[:1])
    enter(staff, prog, 1, c[:1])
    enter(teller2, prog, 1, c[:1])
    with pytest.raises(RuleViolation):
        paper.record_not_returned(actor=staff, programme_id=prog.pk, reason="未收回")


def test_the_tellers_must_say_why_ballots_are_missing(voting, staff):
    prog, _c, voters = voting
    take_paper(staff, prog, voters[:1])
    with pytest.raises(RuleViolation) as refused:
        paper.record_not_returned(actor=staff, programme_id=prog.pk, reason="  ")
    assert "reason" in refused.value.fields


def test_more_sheets_than_ballots_taken_stops_everything(voting, staff, teller2):
    prog, c, voters = voting
    take_paper(staff, prog, voters[:1])
    take_paper(staff, prog, voters[1:2])
    for n in (1, 2):
        enter(staff, prog, n, c[:1])
        enter(teller2, prog, n, c[:1])
    # A third sheet with only a pretend deputy behind it: 3 in the box, 2 taken.
    enter(staff, prog, 3, c[:1])
    enter(teller2, prog, 3, c[:1])
    with pytest.raises(Conflict):
        paper.record_not_returned(actor=staff, programme_id=prog.pk, reason="多出一张")
    with pytest.raises(Conflict):
        services.close_vote(actor=staff, programme_id=prog.pk)


def test_a_phone_ballot_cannot_be_spoiled_in_the_database(voting):
    prog = voting[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(programme=prog, channel=Channel.PHONE, state=BallotState.SPOILED)


def test_the_tellers_page_records_missing_ballots_and_the_results_show_them(client, voting, staff, teller2):
    prog, c, voters = voting
    take_paper(staff, prog, voters[:2])
    for teller in (staff, teller2):
        enter(teller, prog, 1, spoiled=True)
    client.force_login(staff)
    page = client.get(reverse("livelihood:paper", args=[prog.pk]))
    assert page.context["missing"] == 1 and page.context["states"]["spoiled"] == 1
    answer = client.post(reverse("livelihood:paper_not_returned", args=[prog.pk]), {"reason": "代表离场"})
    assert answer.status_code == 302
    services.cast_vote(actor=voters[2].person.user, programme_id=prog.pk, candidate_ids=[c[0].pk])
    services.close_vote(actor=staff, programme_id=prog.pk)
    services.publish(actor=staff, programme_id=prog.pk)
    results = client.get(reverse("livelihood:results", args=[prog.pk]))
    assert results.context["states"] == {"valid": 1, "spoiled": 1, "not_returned": 1}


def test_the_tellers_page_refuses_an_empty_reason_on_the_form(client, voting, staff):
    prog, _c, voters = voting
    take_paper(staff, prog, voters[:1])
    client.force_login(staff)
    page = client.post(reverse("livelihood:paper_not_returned", args=[prog.pk]), {"reason": ""})
    assert page.status_code == 200 and page.context["missing_form"].errors
