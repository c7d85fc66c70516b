"""Rounds: windows, one ballot per voter, approval and per-level quotas, only survivors, ties at the cut-off,
and a closed round that cannot change."""

import pytest
from django.db import IntegrityError, transaction

from cases import services
from cases.models import Ballot, Decision, DecisionKind, Outcome, RoundKind, RoundStatus
from congress.errors import Conflict, Forbidden, InvalidTransition, RuleViolation
from tests import factories as core

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def selecting(congress, staff, unit):
    """A campaign with five submitted cases (A to E), closed to submissions."""
    unit_org, officer = unit
    deputies = {level: f.deputy_of_level(level) for level in ("national", "county")}
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit_org])
        cases = {
            label: f.submission(officer, campaign, title=label, level=level, mandates=[deputies[level]])
            for label, level in zip("ABCDE", ["national", "national", "county", "county", "county"], strict=True)
        }
        services.close_submissions(actor=staff, campaign_id=campaign.pk)
    return campaign, {label: s.pk for label, s in cases.items()}


def ballot_round(staff, campaign, voters, *, k=2, advance=2):
    with f.travel("2023-10-01 09:00"):
        made = f.round_(staff, campaign, RoundKind.BALLOT, voters=[(u, None) for u in voters],
                        approvals_per_voter=k, advance=advance)  # fmt: skip
        return services.open_round(actor=staff, round_id=made.pk)


def test_ballot_before_the_window_is_refused(staff, selecting):
    campaign, pk = selecting
    [voter] = f.voters(1)
    round_ = ballot_round(staff, campaign, [voter])
    with f.travel("2023-10-09 08:59"), pytest.raises(RuleViolation, match="runs from"):
        services.cast_ballot(actor=voter, round_id=round_.pk, submission_ids=[pk["A"]])


def test_ballot_after_the_window_is_refused(staff, selecting):
    campaign, pk = selecting
    [voter] = f.voters(1)
    round_ = ballot_round(staff, campaign, [voter])
    with f.travel("2023-10-13 17:00"), pytest.raises(RuleViolation, match="runs from"):
        services.cast_ballot(actor=voter, round_id=round_.pk, submission_ids=[pk["A"]])


def test_a_voter_casts_one_ballot_only(staff, selecting):
    campaign, pk = selecting
    [voter] = f.voters(1)
    round_ = ballot_round(staff, campaign, [voter])
    with f.travel("2023-10-10 10:00"):
        services.cast_ballot(actor=voter, round_id=round_.pk, submission_ids=[pk["A"]])
        with pytest.raises(Conflict, match="already cast"):
            services.cast_ballot(actor=voter, round_id=round_.pk, submission_ids=[pk["B"]])
    assert Ballot.objects.filter(round=round_).count() == 1


def test_the_database_holds_one_approval_per_voter_and_case(staff, selecting):
    campaign, pk = selecting
    [voter] = f.voters(1)
    round_ = ballot_round(staff, campaign, [voter])
    with f.travel("2023-10-10 10:00"):
        services.cast_ballot(actor=voter, round_id=round_.pk, submission_ids=[pk["A"]])
        seat = round_.voters.get()
        with pytest.raises(IntegrityError), transaction.atomic():
            Ballot.objects.create(round=round_, voter=seat, submission_id=pk["A"])


def test_more_approvals_than_k_are_refused(staff, selecting):
    campaign, pk = selecting
    [voter] = f.voters(1)
    round_ = ballot_round(staff, campaign, [voter], k=2)
    with f.travel("2023-10-10 10:00"), pytest.raises(RuleViolation) as refused:
        services.cast_ballot(actor=voter, round_id=round_.pk, submission_ids=[pk["A"], pk["B"], pk["C"]])
    assert "at most 2" in str(refused.value.fields["submissions"][0])
    assert not Ballot.objects.exists()


def test_someone_not_listed_cannot_vote(staff, selecting):
    campaign, pk = selecting
    voter, outsider = f.voters(2)
    round_ = ballot_round(staff, campaign, [voter])
    with f.travel("2023-10-10 10:00"), pytest.raises(Forbidden):
        services.cast_ballot(actor=outsider, round_id=round_.pk, submission_ids=[pk["A"]])


def test_only_the_previous_rounds_survivors_are_voted_on(staff, selecting):
    campaign, pk = selecting
    first_voter, second_voter = f.voters(2)
    first = ballot_round(staff, campaign, [first_voter], k=2, advance=2)
    with f.travel("2023-10-10 10:00"):
        services.cast_ballot(actor=first_voter, round_id=first.pk, submission_ids=[pk["A"], pk["B"]])
        services.close_round(actor=staff, round_id=first.pk)
        services.decide_round(actor=staff, round_id=first.pk)
        second = f.round_(staff, campaign, RoundKind.MEETING, voters=[(second_voter, None)], approvals_per_voter=1,
                          advance=1, opens="2023-10-10 09:00", closes="2023-10-12 09:00")  # fmt: skip
        services.open_round(actor=staff, round_id=second.pk)
        assert set(second.entries.values_list("submission_id", flat=True)) == {pk["A"], pk["B"]}
        with pytest.raises(RuleViolation) as refused:
            services.cast_ballot(actor=second_voter, round_id=second.pk, submission_ids=[pk["C"]])
    assert "only for cases in this round" in str(refused.value.fields["submissions"][0])


def test_a_round_opens_only_after_the_previous_one_is_decided(staff, selecting):
    campaign, _pk = selecting
    [voter] = f.voters(1)
    ballot_round(staff, campaign, [voter])
    with f.travel("2023-10-01 09:00"):
        second = f.round_(staff, campaign, RoundKind.APPROVAL)
        with pytest.raises(InvalidTransition, match="must be decided"):
            services.open_round(actor=staff, round_id=second.pk)


def test_a_committee_recommends_at_most_q_per_level(staff, selecting):
    campaign, pk = selecting
    [member] = f.voters(1)
    committee = f.committee(campaign.congress, "财经委")
    with f.travel("2023-10-01 09:00"):
        made = f.round_(staff, campaign, RoundKind.QUOTA, voters=[(member, committee)], quota_per_level=2)
        services.open_round(actor=staff, round_id=made.pk)
    with f.travel("2023-10-10 10:00"):
        with pytest.raises(RuleViolation) as refused:
            services.cast_ballot(actor=member, round_id=made.pk, submission_ids=[pk["C"], pk["D"], pk["E"]])
        assert "at most 2 cases of each level" in str(refused.value.fields["submissions"][0])
        services.cast_ballot(actor=member, round_id=made.pk, submission_ids=[pk["A"], pk["B"], pk["C"], pk["D"]])
    assert Ballot.objects.filter(round=made).count() == 4


def test_a_recommendation_round_needs_each_voter_to_act_for_a_committee(staff, selecting):
    campaign, _pk = selecting
    [member] = f.voters(1)
    with f.travel("2023-10-01 09:00"), pytest.raises(RuleViolation) as refused:
        f.round_(staff, campaign, RoundKind.QUOTA, voters=[(member, None)], quota_per_level=2)
    assert "voters" in refused.value.fields


def test_a_voter_cannot_act_for_another_congresses_committee(staff, selecting):
    campaign, _pk = selecting
    [member] = f.voters(1)
    elsewhere = core.CongressFactory(region=core.county("440104", "越秀区"))
    with f.travel("2023-10-01 09:00"), pytest.raises(RuleViolation) as refused:
        f.round_(staff, campaign, RoundKind.QUOTA, voters=[(member, f.committee(elsewhere, "越秀区财经委"))],
                 quota_per_level=2)  # fmt: skip
    assert "voters" in refused.value.fields
    assert not campaign.rounds.exists()


def test_a_tie_at_the_cut_off_waits_for_a_recorded_decision(staff, selecting):
    campaign, pk = selecting
    voters = f.voters(3)
    round_ = ballot_round(staff, campaign, voters, k=2, advance=2)
    with f.travel("2023-10-10 10:00"):
        # A 3 votes, B 1, C 1, D 1: A goes on, B, C and D tie for the one place left.
        f.cast_all(round_, voters, [[pk["A"], pk["B"]], [pk["A"], pk["C"]], [pk["A"], pk["D"]]])
        round_ = services.close_round(actor=staff, round_id=round_.pk)
    assert round_.status == RoundStatus.CLOSED and round_.tie_slots == {"": 1}
    outcomes = dict(round_.entries.values_list("submission_id", "outcome"))
    assert outcomes == {pk["A"]: Outcome.ADVANCED, pk["B"]: Outcome.TIED, pk["C"]: Outcome.TIED,
                        pk["D"]: Outcome.TIED, pk["E"]: Outcome.ELIMINATED}  # fmt: skip
    with pytest.raises(InvalidTransition, match="tied"):
        services.decide_round(actor=staff, round_id=round_.pk)
    with pytest.raises(RuleViolation) as refused:
        services.break_tie(actor=staff, round_id=round_.pk, chosen_ids=[pk["B"], pk["C"]], reason="联席会议再议")
    assert "exactly 1" in str(refused.value.fields["chosen"][0])
    decision = services.break_tie(
        actor=staff, round_id=round_.pk, chosen_ids=[pk["C"]], reason="主任会议决定：C事迹更突出"
    )
    assert (decision.kind, decision.decided_by, decision.reason) == (
        DecisionKind.TIE,
        staff,
        "主任会议决定：C事迹更突出",
    )
    assert decision.submission_ids == [pk["C"]]
    services.decide_round(actor=staff, round_id=round_.pk)
    advanced = set(round_.entries.filter(outcome=Outcome.ADVANCED).values_list("submission_id", flat=True))
    assert advanced == {pk["A"], pk["C"]}


def test_level_scores_that_all_fit_are_no_tie(staff, selecting):
    campaign, pk = selecting
    voters = f.voters(2)
    round_ = ballot_round(staff, campaign, voters, k=2, advance=3)
    with f.travel("2023-10-10 10:00"):
        f.cast_all(round_, voters, [[pk["A"], pk["B"]], [pk["A"], pk["C"]]])
        round_ = services.close_round(actor=staff, round_id=round_.pk)
    assert round_.tie_slots == {}
    assert set(round_.entries.filter(outcome=Outcome.ADVANCED).values_list("submission_id", flat=True)) == {
        pk["A"], pk["B"], pk["C"]
    }  # fmt: skip


def test_a_round_cannot_close_early_while_voters_are_missing(staff, selecting):
    campaign, pk = selecting
    voters = f.voters(2)
    round_ = ballot_round(staff, campaign, voters)
    with f.travel("2023-10-10 10:00"):
        services.cast_ballot(actor=voters[0], round_id=round_.pk, submission_ids=[pk["A"]])
        with pytest.raises(RuleViolation, match="not everyone has voted"):
            services.close_round(actor=staff, round_id=round_.pk)


def test_a_closed_round_takes_no_more_ballots(staff, selecting):
    campaign, pk = selecting
    voters = f.voters(2)
    round_ = ballot_round(staff, campaign, voters)
    with f.travel("2023-10-14 10:00"):
        services.close_round(actor=staff, round_id=round_.pk)
        with pytest.raises(InvalidTransition, match="closed"):
            services.cast_ballot(actor=voters[0], round_id=round_.pk, submission_ids=[pk["A"]])


def test_the_database_refuses_a_ballot_for_a_closed_round(staff, selecting):
    campaign, pk = selecting
    voters = f.voters(1)
    round_ = ballot_round(staff, campaign, voters)
    with f.travel("2023-10-14 10:00"):
        services.close_round(actor=staff, round_id=round_.pk)
    seat = round_.voters.get()
    with pytest.raises(IntegrityError, match="cases_round_not_open"), transaction.atomic():
        Ballot.objects.create(round=round_, voter=seat, submission_id=pk["A"])


def test_the_database_refuses_changing_a_decided_rounds_result(staff, selecting):
    campaign, pk = selecting
    [voter] = f.voters(1)
    round_ = ballot_round(staff, campaign, [voter])
    with f.travel("2023-10-10 10:00"):
        services.cast_ballot(actor=voter, round_id=round_.pk, submission_ids=[pk["A"], pk["B"]])
        services.close_round(actor=staff, round_id=round_.pk)
        services.decide_round(actor=staff, round_id=round_.pk)
    with pytest.raises(IntegrityError, match="decided"), transaction.atomic():
        round_.entries.update(outcome=Outcome.ADVANCED)


def test_the_council_strikes_a_case_with_its_reason(staff, selecting):
    campaign, pk = selecting
    with f.travel("2023-10-01 09:00"):
        council = f.round_(staff, campaign, RoundKind.APPROVAL)
        services.open_round(actor=staff, round_id=council.pk)
        with pytest.raises(RuleViolation):
            services.strike(actor=staff, round_id=council.pk, submission_id=pk["B"], reason=" ")
        services.strike(actor=staff, round_id=council.pk, submission_id=pk["B"], reason="代表资格已终止")
        services.close_round(actor=staff, round_id=council.pk)
        with pytest.raises(RuleViolation) as refused:
            services.decide_round(actor=staff, round_id=council.pk)
        assert "note" in refused.value.fields
        services.decide_round(actor=staff, round_id=council.pk, note="第20次主任会议")
    entries = dict(council.entries.values_list("submission_id", "outcome"))
    assert entries[pk["B"]] == Outcome.STRUCK
    assert sum(outcome == Outcome.ADVANCED for outcome in entries.values()) == 4
    assert Decision.objects.get(round=council, kind=DecisionKind.STRIKE).reason == "代表资格已终止"
    assert len(Decision.objects.get(round=council, kind=DecisionKind.CONFIRM).submission_ids) == 4


def test_only_the_campaigns_staff_run_its_rounds(staff, selecting):
    campaign, _pk = selecting
    from tests import factories as core

    other = core.staff_of(core.CongressFactory(region=core.province("62", "甘肃省")))
    with f.travel("2023-10-01 09:00"):
        made = f.round_(staff, campaign, RoundKind.APPROVAL)
        with pytest.raises(Forbidden):
            services.open_round(actor=other, round_id=made.pk)


def test_a_weighted_round_needs_weights_adding_to_100(staff, selecting):
    campaign, _pk = selecting
    with f.travel("2023-10-01 09:00"), pytest.raises(RuleViolation) as refused:
        f.round_(staff, campaign, RoundKind.WEIGHTED, advance=2, online_weight=30, panel_weight=60)
    assert "panel_weight" in refused.value.fields
