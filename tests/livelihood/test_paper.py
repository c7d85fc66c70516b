"""Paper ballots entered twice by the tellers: a sheet counts as one ballot only when two different tellers' entries
agree; the count waits for every sheet; the deputies who took paper ballots are recorded as having voted."""

import pytest
from django.db import IntegrityError

from congress.errors import Conflict, Forbidden, RuleViolation
from livelihood import paper, services
from livelihood.models import Ballot, Channel, PaperEntry, PaperSheetStatus, Turnout

from . import factories as f

pytestmark = pytest.mark.django_db

core = f.core


@pytest.fixture
def teller2(congress):
    return core.staff_of(congress)


@pytest.fixture
def voting(staff, congress):
    return f.voting(staff, congress, present=3)


def enter(teller, prog, number, candidates):
    return paper.enter_sheet(
        actor=teller, programme_id=prog.pk, number=number, candidate_ids=[c.pk for c in candidates]
    )


def test_two_tellers_agreeing_make_one_paper_ballot(voting, staff, teller2):
    prog, c, _voters = voting
    sheet = enter(staff, prog, 1, c[:2])
    assert sheet.status == PaperSheetStatus.PENDING and not Ballot.objects.filter(programme=prog).exists()
    sheet = enter(teller2, prog, 1, c[:2])
    assert sheet.status == PaperSheetStatus.COUNTED
    ballot = Ballot.objects.get(programme=prog)
    assert ballot.channel == Channel.PAPER
    assert sorted(ballot.marks.values_list("candidate_id", flat=True)) == sorted(x.pk for x in c[:2])


def test_the_same_teller_entering_a_sheet_twice_does_not_count_it(voting, staff):
    prog, c, _voters = voting
    enter(staff, prog, 1, c[:2])
    sheet = enter(staff, prog, 1, c[:2])
    assert sheet.status == PaperSheetStatus.PENDING
    assert PaperEntry.objects.filter(sheet=sheet).count() == 1
    assert not Ballot.objects.filter(programme=prog).exists()


def test_tellers_disagreeing_is_not_counted_and_listed(voting, staff, teller2):
    prog, c, _voters = voting
    enter(staff, prog, 7, c[:2])
    sheet = enter(teller2, prog, 7, c[1:3])
    assert sheet.status == PaperSheetStatus.MISMATCH
    assert not Ballot.objects.filter(programme=prog).exists()
    assert paper.unmatched(prog) == [7]


def test_a_teller_corrects_their_own_entry_after_a_mismatch(voting, staff, teller2):
    prog, c, _voters = voting
    enter(staff, prog, 7, c[:2])
    enter(teller2, prog, 7, c[1:3])
    sheet = enter(teller2, prog, 7, c[:2])
    assert sheet.status == PaperSheetStatus.COUNTED
    assert Ballot.objects.filter(programme=prog).count() == 1


def test_a_third_teller_cannot_enter_a_sheet(voting, staff, teller2, congress):
    prog, c, _voters = voting
    enter(staff, prog, 7, c[:2])
    enter(teller2, prog, 7, c[1:3])
    with pytest.raises(Conflict):
        enter(core.staff_of(congress), prog, 7, c[:2])


def test_a_counted_sheet_cannot_be_entered_again(voting, staff, teller2):
    prog, c, _voters = voting
    enter(staff, prog, 1, c[:1])
    enter(teller2, prog, 1, c[:1])
    with pytest.raises(Conflict):
        enter(teller2, prog, 1, c[1:2])
    assert Ballot.objects.filter(programme=prog).count() == 1


def test_the_database_holds_one_entry_per_teller_and_sheet(voting, staff):
    prog, c, _voters = voting
    sheet = enter(staff, prog, 1, c[:1])
    with pytest.raises(IntegrityError):
        PaperEntry.objects.create(sheet=sheet, slot=2, teller=staff, candidate_ids=[])


def test_a_sheet_marks_at_most_the_projects_to_choose(voting, staff):
    prog, c, _voters = voting
    with pytest.raises(RuleViolation) as refused:
        enter(staff, prog, 1, c[:4])
    assert "candidates" in refused.value.fields


def test_a_candidate_of_another_programme_is_refused(voting, staff):
    prog, _c, _voters = voting
    other_staff = core.staff_of(core.CongressFactory(region=core.county("440105", "海珠区")))
    _other, foreign = f.with_candidates(other_staff, other_staff.memberships.first().congress, n_candidates=4,
                                        projects=3)  # fmt: skip
    with pytest.raises(RuleViolation):
        enter(staff, prog, 1, foreign[:1])


def test_only_the_congress_staff_are_tellers(voting, congress):
    prog, c, voters = voting
    with pytest.raises(Forbidden):
        enter(voters[0].person.user, prog, 1, c[:1])
    stranger = core.staff_of(core.CongressFactory(region=core.county("440105", "海珠区")))
    with pytest.raises(Forbidden):
        enter(stranger, prog, 1, c[:1])


def test_a_deputy_taking_a_paper_ballot_has_voted(voting, staff):
    prog, c, voters = voting
    paper.issue_paper(actor=staff, programme_id=prog.pk, mandate_id=voters[0].pk)
    assert Turnout.objects.get(programme=prog, mandate=voters[0]).channel == Channel.PAPER
    with pytest.raises(Conflict):
        services.cast_vote(actor=voters[0].person.user, programme_id=prog.pk, candidate_ids=[c[0].pk])


def test_a_deputy_of_another_congress_cannot_take_a_paper_ballot(voting, staff):
    prog, _c, _voters = voting
    (stranger,) = f.deputies(core.CongressFactory(region=core.county("440105", "海珠区")), 1)
    with pytest.raises(RuleViolation):
        paper.issue_paper(actor=staff, programme_id=prog.pk, mandate_id=stranger.pk)


def test_a_deputy_cannot_cast_a_paper_ballot_themselves(voting):
    prog, c, voters = voting
    with pytest.raises(RuleViolation):
        services.cast_vote(actor=voters[0].person.user, programme_id=prog.pk, candidate_ids=[c[0].pk],
                           channel=Channel.PAPER)  # fmt: skip


def test_the_count_waits_for_unmatched_sheets(voting, staff, teller2):
    prog, c, voters = voting
    for mandate in voters[:2]:
        paper.issue_paper(actor=staff, programme_id=prog.pk, mandate_id=mandate.pk)
    enter(staff, prog, 1, c[:2])
    enter(teller2, prog, 1, c[:2])
    enter(staff, prog, 2, c[:1])
    with pytest.raises(Conflict) as refused:
        services.close_vote(actor=staff, programme_id=prog.pk)
    assert "2" in str(refused.value.message)
    enter(teller2, prog, 2, c[:1])
    services.close_vote(actor=staff, programme_id=prog.pk)
    c[0].refresh_from_db()
    assert c[0].votes == 2


def test_paper_and_phone_ballots_count_together(voting, staff, teller2):
    prog, c, voters = voting
    services.cast_vote(actor=voters[0].person.user, programme_id=prog.pk, candidate_ids=[c[0].pk, c[1].pk])
    for mandate in voters[1:]:
        paper.issue_paper(actor=staff, programme_id=prog.pk, mandate_id=mandate.pk)
    for number in (1, 2):
        enter(staff, prog, number, [c[0]])
        enter(teller2, prog, number, [c[0]])
    services.close_vote(actor=staff, programme_id=prog.pk)
    c[0].refresh_from_db()
    c[1].refresh_from_db()
    assert (c[0].votes, c[0].outcome) == (3, "chosen")
    assert (c[1].votes, c[1].outcome) == (1, "not_chosen")


def test_more_sheets_than_paper_ballots_taken_stop_the_count(voting, staff, teller2):
    prog, c, voters = voting
    paper.issue_paper(actor=staff, programme_id=prog.pk, mandate_id=voters[0].pk)
    for number in (1, 2):
        enter(staff, prog, number, [c[0]])
        enter(teller2, prog, number, [c[0]])
    with pytest.raises(Conflict):
        services.close_vote(actor=staff, programme_id=prog.pk)


def test_no_paper_entry_after_the_vote_is_closed(voting, staff):
    prog, c, _voters = voting
    services.close_vote(actor=staff, programme_id=prog.pk)
    from congress.errors import InvalidTransition

    with pytest.raises(InvalidTransition):
        enter(staff, prog, 1, c[:1])
