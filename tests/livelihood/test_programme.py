"""The programme from set-up to the candidate list: who may, the phases' dates, proposals from each source,
merging, the office's assessment and the candidate list with its reasons."""

from datetime import date

import pytest

from congress.errors import Forbidden, InvalidTransition, RuleViolation
from congress.models import PolicyValue
from livelihood import services
from livelihood.models import Candidate, Feasibility, ProgrammeStatus, Proposal, ProposalStatus, Source
from tests import factories as core
from tests.liaison_stations.factories import StationFactory

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def congress():
    return f.congress()


@pytest.fixture
def staff(congress):
    return core.staff_of(congress)


@pytest.fixture
def office(congress):
    return f.office_of(congress)


@pytest.fixture
def soliciting(staff, congress, office):
    prog = f.programme(staff, congress, office[0])
    services.open_solicitation(actor=staff, programme_id=prog.pk)
    return prog


def test_staff_of_another_congress_cannot_set_up_the_programme(congress, office):
    other = core.staff_of(core.CongressFactory(region=core.county("440105", "海珠区")))
    with pytest.raises(Forbidden):
        f.programme(other, congress, office[0])


def test_the_assessing_office_must_be_a_government_department_of_the_region(staff, congress):
    elsewhere = core.OrganisationFactory(region=core.county("440105", "海珠区"))
    with pytest.raises(RuleViolation) as refused:
        f.programme(staff, congress, elsewhere)
    assert "office" in refused.value.fields


def test_one_programme_a_year(staff, congress, office):
    f.programme(staff, congress, office[0])
    with pytest.raises(RuleViolation) as refused:
        f.programme(staff, congress, office[0])
    assert "year" in refused.value.fields


def test_a_citizen_proposal_gets_a_number_and_a_tracking_code(soliciting):
    first, second = f.proposal(soliciting, 1), f.proposal(soliciting, 2)
    assert (first.number, second.number) == (1, 2)
    assert first.tracking_code and first.tracking_code != second.tracking_code
    assert first.phone_tail == "0001"


def test_a_citizen_proposal_needs_a_phone(soliciting):
    with pytest.raises(RuleViolation) as refused:
        f.proposal(soliciting, 1, phone="")
    assert "phone" in refused.value.fields


def test_no_proposal_outside_the_collection_dates(soliciting):
    with pytest.raises(RuleViolation, match="2025-11-01"):
        services.submit_proposal(programme_id=soliciting.pk, source=Source.CITIZEN, title="路灯", description="装路灯",
                                 area="石牌", phone="13900000000", today=date(2025, 12, 1))  # fmt: skip


def test_no_proposal_before_the_programme_opens(staff, congress, office):
    prog = f.programme(staff, congress, office[0])
    with pytest.raises(InvalidTransition):
        f.proposal(prog, 1)


def test_a_deputy_proposes_in_their_own_name(soliciting, congress):
    (mandate,) = f.deputies(congress, 1)
    proposal = f.proposal(soliciting, 1, source=Source.DEPUTY, phone="", actor=mandate.person.user)
    assert proposal.mandate == mandate


def test_a_deputy_of_another_congress_cannot_propose(soliciting):
    (stranger,) = f.deputies(core.CongressFactory(region=core.county("440105", "海珠区")), 1)
    with pytest.raises(Forbidden):
        f.proposal(soliciting, 1, source=Source.DEPUTY, phone="", actor=stranger.person.user)


def test_a_station_manager_records_a_proposal_for_their_station(soliciting, congress):
    manager = core.UserFactory()
    station = StationFactory(congress=congress, region=congress.region)
    station.managers.add(manager)
    proposal = f.proposal(soliciting, 1, source=Source.STATION, actor=manager, station_id=station.pk)
    assert proposal.station == station
    other = StationFactory(congress=congress, region=congress.region)
    with pytest.raises(Forbidden):
        f.proposal(soliciting, 2, source=Source.STATION, actor=manager, station_id=other.pk)


def test_merged_duplicates_follow_the_one_kept(soliciting, staff):
    keep, dup, dup_of_dup = (f.proposal(soliciting, n) for n in range(3))
    services.merge_proposals(actor=staff, keep_id=dup.pk, merged_ids=[dup_of_dup.pk])
    services.merge_proposals(actor=staff, keep_id=keep.pk, merged_ids=[dup.pk])
    assert set(Proposal.objects.filter(merged_into=keep).values_list("pk", flat=True)) == {dup.pk, dup_of_dup.pk}
    assert Proposal.objects.get(pk=dup.pk).status == ProposalStatus.MERGED


def test_only_the_assessing_office_assesses(soliciting, congress, office):
    proposal = f.proposal(soliciting, 1)
    dept = f.department(congress)
    other_officer = core.officer_of(f.department(congress, "区教育局"))
    with pytest.raises(Forbidden):
        f.assess(other_officer, proposal, dept)
    assessed = f.assess(office[1], proposal, dept, cost=250)
    assert assessed.status == ProposalStatus.ASSESSED and assessed.cost == 250


def test_a_department_outside_the_region_is_refused(soliciting, office):
    proposal = f.proposal(soliciting, 1)
    elsewhere = core.OrganisationFactory(name="海珠区住建局", region=core.county("440105", "海珠区"))
    with pytest.raises(RuleViolation) as refused:
        f.assess(office[1], proposal, elsewhere)
    assert "department" in refused.value.fields
    assert Proposal.objects.get(pk=proposal.pk).department is None


def test_a_feasible_assessment_names_cost_and_department(soliciting, office):
    proposal = f.proposal(soliciting, 1)
    with pytest.raises(RuleViolation) as refused:
        services.assess_proposal(actor=office[1], proposal_id=proposal.pk, feasibility=Feasibility.FEASIBLE,
                                 cost=None, department=None, assessment="可行")  # fmt: skip
    assert {"cost", "department"} <= set(refused.value.fields)


def test_ten_projects_go_to_the_vote_with_13_to_15_candidates(staff, congress):
    # The policies' defaults: 10 + 30 % = 13 to 10 + 50 % = 15.
    with pytest.raises(RuleViolation, match="13.*15"):
        f.with_candidates(staff, congress, n_candidates=12)


def test_sixteen_candidates_are_too_many_for_ten(staff, congress):
    with pytest.raises(RuleViolation, match="13.*15"):
        f.with_candidates(staff, congress, n_candidates=16)


def test_a_congress_may_set_its_own_range(staff, congress):
    PolicyValue.objects.create(congress=congress, key="livelihood.extra_candidates_min_percent", value=10)
    prog, candidates = f.with_candidates(staff, congress, n_candidates=11)
    assert len(candidates) == 11


def test_the_candidate_list_keeps_the_order_and_the_reasons(staff, congress):
    prog, candidates = f.with_candidates(staff, congress, n_candidates=13, n_proposals=15)
    prog.refresh_from_db()
    assert prog.status == ProgrammeStatus.CANDIDATES
    assert [c.number for c in candidates] == list(range(1, 14))
    dropped = Proposal.objects.filter(programme=prog, status=ProposalStatus.DROPPED)
    assert dropped.count() == 2 and all(p.screening_reason == "已列入其他计划" for p in dropped)
    assert Candidate.objects.filter(programme=prog).count() == 13


def test_every_open_proposal_is_kept_or_dropped(staff, congress, office):
    prog = f.programme(staff, congress, office[0])
    services.open_solicitation(actor=staff, programme_id=prog.pk)
    proposals = [f.proposal(prog, n) for n in range(14)]
    services.close_solicitation(actor=staff, programme_id=prog.pk)
    dept = f.department(congress)
    for p in proposals:
        f.assess(office[1], p, dept)
    with pytest.raises(RuleViolation, match="14"):
        services.confirm_candidates(actor=staff, programme_id=prog.pk, kept={p.pk: "好" for p in proposals[:13]},
                                    dropped={})  # fmt: skip


def test_a_proposal_assessed_infeasible_cannot_be_a_candidate(staff, congress, office):
    prog = f.programme(staff, congress, office[0])
    services.open_solicitation(actor=staff, programme_id=prog.pk)
    proposals = [f.proposal(prog, n) for n in range(13)]
    services.close_solicitation(actor=staff, programme_id=prog.pk)
    dept = f.department(congress)
    for p in proposals[:12]:
        f.assess(office[1], p, dept)
    f.assess(office[1], proposals[12], None, cost=None, feasibility=Feasibility.NOT_FEASIBLE)
    with pytest.raises(RuleViolation, match="13"):
        services.confirm_candidates(actor=staff, programme_id=prog.pk, kept={p.pk: "好" for p in proposals},
                                    dropped={})  # fmt: skip
