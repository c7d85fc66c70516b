"""A livelihood-project programme's whole year, through the services each person uses, with numbers built from
the rules (issue 27), not from what the code returns:

- 40 proposals (citizens online, deputies, a station), two of them merged as duplicates;
- the office assesses the 38 left, 8 as not feasible; staff keep 13 candidates for 10 projects (10 + 30 % = 13 is
  the least the policy allows) and drop 25, each with a reason;
- 200 deputies present vote, each for at most 10: the designed counts put 8 projects clearly above half of 200,
  three tied at 105 for the last 2 places, one at 90 (below the majority, so never chosen) and one at 40;
- the tie goes to a recorded decision, and the results are published with their counts;
- project 1 is carried out: its supervision group (a special committee and five deputies) records a site visit,
  and a milestone due in 5 working days from Monday 2027-03-01 (so on 2027-03-08) is late on 2027-03-09: the sweep
  reminds its department once, however often it runs;
- at the year's end 60 deputies rate the chosen projects: with the policy's 50 %, 31 不满意 of 60 sends project 1
  back to its department for correction, while 30 of 60 (exactly half) lets project 2 pass; the department reports
  the correction and staff close it; the appraisal is published with the results."""

import re
from collections import Counter
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from congress import deadlines
from congress.models import Notification
from livelihood import appraisal, carrying, services
from livelihood.models import AppraisalStatus, CandidateOutcome, ProgrammeStatus, Proposal, ProposalStatus, Source
from tests.liaison_stations.factories import managed_station
from tests.livelihood import factories as f

pytestmark = pytest.mark.django_db

PRESENT = 200
# Votes for candidates 1..13 in ballot order: more than half of 200 is 101.
DESIGN = [180, 170, 160, 150, 140, 130, 120, 110, 105, 105, 105, 90, 40]


def ballots_for(design: list[int], voters: int) -> list[list[int]]:
    """Ballots (candidate positions) giving each candidate exactly its designed count: each candidate's marks go on
    consecutive ballots, wrapping round, so no ballot holds a candidate twice and each holds 8 or 9 marks."""
    ballots = [[] for _ in range(voters)]
    start = 0
    for position, count in enumerate(design):
        for k in range(count):
            ballots[(start + k) % voters].append(position)
        start = (start + count) % voters
    return ballots


def test_the_ballots_carry_the_design():
    ballots = ballots_for(DESIGN, PRESENT)
    assert max(len(b) for b in ballots) <= 10
    assert Counter(p for b in ballots for p in b) == dict(enumerate(DESIGN))


def test_a_livelihood_programme_from_proposals_to_published_results(client):
    congress = f.congress()
    staff = f.core.staff_of(congress)
    office, officer = f.office_of(congress)
    dept = f.department(congress)
    deputies = f.deputies(congress, 210)
    station, manager = managed_station(congress=congress)
    prog = f.programme(staff, congress, office, projects=10)
    services.open_solicitation(actor=staff, programme_id=prog.pk)

    # 40 proposals: 34 citizens online, 5 deputies on the portal, one received in person at a station.
    proposals = [f.proposal(prog, n) for n in range(34)]
    for n, deputy in enumerate(deputies[:5]):
        proposals.append(f.proposal(prog, 100 + n, source=Source.DEPUTY, actor=deputy.person.user, phone=""))
    proposals.append(f.proposal(prog, 200, source=Source.STATION, actor=manager, station_id=station.pk))
    assert len(proposals) == 40

    # Two duplicates merged: their proposers' codes follow the kept one.
    services.merge_proposals(actor=staff, keep_id=proposals[0].pk, merged_ids=[proposals[1].pk, proposals[2].pk])
    services.close_solicitation(actor=staff, programme_id=prog.pk)
    open_ones = [p for p in proposals if p.pk not in (proposals[1].pk, proposals[2].pk)]
    assert Proposal.objects.filter(programme=prog).exclude(status=ProposalStatus.MERGED).count() == 38

    # The office: 30 feasible, 8 not.
    for n, p in enumerate(open_ones):
        f.assess(officer, p, dept, feasibility="not_feasible" if n >= 30 else "feasible")
    kept = {p.pk: "群众呼声高，资金可落实" for p in open_ones[:13]}
    dropped = {p.pk: "已列入其他计划" if n < 17 else "不具备实施条件" for n, p in enumerate(open_ones[13:])}
    candidates = services.confirm_candidates(actor=staff, programme_id=prog.pk, kept=kept, dropped=dropped)
    assert len(candidates) == 13 and len(dropped) == 25

    # The vote: 200 of the 210 deputies present, each ballot as designed.
    services.open_vote(actor=staff, programme_id=prog.pk, present=PRESENT)
    for deputy, ballot in zip(deputies, ballots_for(DESIGN, PRESENT), strict=False):
        services.cast_vote(actor=deputy.person.user, programme_id=prog.pk,
                           candidate_ids=[candidates[p].pk for p in ballot])  # fmt: skip
    services.close_vote(actor=staff, programme_id=prog.pk)

    rows = {c.number: c for c in prog.candidates.all()}
    assert [rows[n].votes for n in range(1, 14)] == DESIGN
    chosen = {n for n, c in rows.items() if c.outcome == CandidateOutcome.CHOSEN}
    tied = {n for n, c in rows.items() if c.outcome == CandidateOutcome.TIED}
    assert chosen == set(range(1, 9)) and tied == {9, 10, 11}
    assert rows[12].outcome == CandidateOutcome.NOT_CHOSEN  # 90 of 200 is not more than half

    # Publication waits for the tie's decision.
    with pytest.raises(services.RuleViolation):
        services.publish(actor=staff, programme_id=prog.pk)
    services.break_tie(actor=staff, programme_id=prog.pk, chosen_ids=[rows[9].pk, rows[11].pk],
                       reason="主任会议研究：优先老旧小区改造和养老服务")  # fmt: skip
    services.publish(actor=staff, programme_id=prog.pk)
    prog.refresh_from_db()
    assert prog.status == ProgrammeStatus.PUBLISHED
    final = {c.number for c in prog.candidates.filter(outcome=CandidateOutcome.CHOSEN)}
    assert final == set(range(1, 10)) | {11}

    # Carrying out project 1: its supervision group visits the site; a milestone is late and reminded once.
    project = rows[1]
    dept_officer = f.core.officer_of(dept)
    f.supervision_group(staff, project, deputies[200:205])
    visit = carrying.record_site_visit(actor=deputies[200].person.user, project_id=project.pk,
                                       visited_on=date(2027, 2, 20), place="石牌街道", seen="已完成基础施工",
                                       opinions="居民希望增设座椅", today=date(2027, 2, 20))  # fmt: skip
    assert visit.project_id == project.pk
    milestone = carrying.set_milestone(actor=staff, project_id=project.pk, title="完成主体施工", workdays=5,
                                       today=date(2027, 3, 1))  # fmt: skip
    assert milestone.due_on == date(2027, 3, 8)
    assert deadlines.sweep(today=date(2027, 3, 9)) == 1
    assert deadlines.sweep(today=date(2027, 3, 9)) == 0
    late = Notification.objects.filter(title__contains="完成主体施工")
    assert late.filter(recipient=dept_officer).count() == 1
    assert late.values("recipient").distinct().count() == late.count()  # nobody told twice

    # The year-end appraisal: 60 deputies rate each of the 10 chosen projects.
    today = timezone.localdate()
    appraisal.open_appraisal(actor=staff, programme_id=prog.pk, appraise_from=today - timedelta(days=1),
                             appraise_until=today + timedelta(days=10))  # fmt: skip
    first, second = rows[1], rows[2]
    for n, deputy in enumerate(deputies[:60]):
        verdicts = {c.pk: "satisfied" for c in prog.candidates.filter(outcome=CandidateOutcome.CHOSEN)}
        verdicts[first.pk] = "dissatisfied" if n < 31 else "satisfied"
        verdicts[second.pk] = "dissatisfied" if n < 30 else ("basically_satisfied" if n < 50 else "satisfied")
        appraisal.rate(actor=deputy.person.user, programme_id=prog.pk, verdicts=verdicts)
    appraisal.close_appraisal(actor=staff, programme_id=prog.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.appraisal.dissatisfied, first.appraisal.status) == (31, AppraisalStatus.CORRECTING)
    assert (second.appraisal.dissatisfied, second.appraisal.basically_satisfied) == (30, 20)
    assert second.appraisal.status == AppraisalStatus.PASSED
    assert first.appraisal.correct_by is not None

    # The department corrects project 1 and reports; staff close the correction.
    appraisal.report_correction(actor=dept_officer, appraisal_id=first.appraisal.pk, report="已完成整改：增设夜间照明")
    appraisal.close_correction(actor=staff, appraisal_id=first.appraisal.pk, note="整改到位")
    first.appraisal.refresh_from_db()
    assert first.appraisal.status == AppraisalStatus.CLOSED

    # Everyone reads the published results with the counts and the appraisal.
    html = client.get(reverse("livelihood:results", args=[prog.pk])).content.decode()
    for number, votes in ((1, 180), (9, 105), (12, 90), (13, 40)):
        assert re.search(rf"<td>{number}</td><td>(<a [^>]+>)?{rows[number].title}(</a>)?</td><td>{dept.name}</td>"
                         rf"<td>{votes}</td>", html)  # fmt: skip
    assert "满意29，基本满意0，不满意31。" in html and "满意10，基本满意20，不满意30。" in html
