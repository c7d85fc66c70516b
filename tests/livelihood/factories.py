"""Builders for the livelihood-project vote: a programme brought to any phase through the real services."""

from datetime import date

from deputies.models import Mandate
from livelihood import services
from livelihood.models import Feasibility, Source
from tests import factories as core
from tests.deputies.factories import MandateFactory, PersonFactory

YEAR = 2026
SOLICIT_FROM, SOLICIT_UNTIL, VOTE_ON = date(2025, 11, 1), date(2025, 11, 30), date(2026, 1, 10)


def congress():
    return core.CongressFactory(region=core.county())


def office_of(congress):
    office = core.OrganisationFactory(name="区政府办公室", region=congress.region)
    return office, core.officer_of(office)


def department(congress, name="区住房和城乡建设局"):
    return core.OrganisationFactory(name=name, region=congress.region)


def deputies(congress, n: int) -> list[Mandate]:
    """n active mandates whose persons can sign in as deputies."""
    result = []
    for _ in range(n):
        user = core.deputy_of(congress)
        result.append(MandateFactory(congress=congress, person=PersonFactory(user=user)))
    return result


def programme(staff, congress, office, projects=10, **values):
    dates = {"solicit_from": SOLICIT_FROM, "solicit_until": SOLICIT_UNTIL, "vote_on": VOTE_ON}
    dates.update({key: values.pop(key) for key in list(dates) if key in values})
    return services.create_programme(
        actor=staff, congress_id=congress.pk, year=values.pop("year", YEAR), title=f"{YEAR}年民生实事项目",
        projects=projects, office=office, **dates, **values,
    )  # fmt: skip


def proposal(programme, n=0, **values):
    defaults = {"source": Source.CITIZEN, "title": f"项目{n}", "description": f"建设项目{n}的说明", "area": "石牌街道",
                "phone": f"139{n:08d}"}  # fmt: skip
    values.setdefault("today", SOLICIT_FROM)
    return services.submit_proposal(programme_id=programme.pk, **{**defaults, **values})


def assess(officer, proposal, dept, cost=100, feasibility=Feasibility.FEASIBLE):
    return services.assess_proposal(actor=officer, proposal_id=proposal.pk, feasibility=feasibility, cost=cost,
                                    department=dept, assessment="资金和用地已落实")  # fmt: skip


def with_candidates(staff, congress, n_candidates=13, projects=10, n_proposals=None):
    """A programme through screening: n_proposals (default n_candidates + 2) assessed, n_candidates kept."""
    office, officer = office_of(congress)
    dept = department(congress)
    prog = programme(staff, congress, office, projects=projects)
    services.open_solicitation(actor=staff, programme_id=prog.pk)
    proposals = [proposal(prog, n) for n in range(n_proposals or n_candidates + 2)]
    services.close_solicitation(actor=staff, programme_id=prog.pk)
    for p in proposals:
        assess(officer, p, dept)
    kept = {p.pk: "群众呼声高，资金可落实" for p in proposals[:n_candidates]}
    dropped = {p.pk: "已列入其他计划" for p in proposals[n_candidates:]}
    candidates = services.confirm_candidates(actor=staff, programme_id=prog.pk, kept=kept, dropped=dropped)
    return prog, candidates


# Paper ballots, corrections and the year-end appraisal

APPRAISE_FROM, APPRAISE_UNTIL = date(2026, 12, 1), date(2026, 12, 31)


def voting(staff, congress, present=6, n_candidates=4, projects=3):
    """A programme whose vote is open with `present` deputies present, and those deputies."""
    prog, candidates = with_candidates(staff, congress, n_candidates=n_candidates, projects=projects)
    voters = deputies(congress, present)
    services.open_vote(actor=staff, programme_id=prog.pk, present=present)
    return prog, candidates, voters


def published(staff, congress, present=4, n_candidates=4, projects=3):
    """A programme voted (every deputy present marks the first `projects` candidates), counted and published: the
    first `projects` candidates are chosen."""
    prog, candidates, voters = voting(staff, congress, present, n_candidates, projects)
    for mandate in voters:
        services.cast_vote(actor=mandate.person.user, programme_id=prog.pk,
                           candidate_ids=[c.pk for c in candidates[:projects]])  # fmt: skip
    services.close_vote(actor=staff, programme_id=prog.pk)
    services.publish(actor=staff, programme_id=prog.pk)
    for candidate in candidates:
        candidate.refresh_from_db()
    return prog, candidates, voters


def appraising(staff, congress, **values):
    """A published programme whose year-end appraisal is open for December 2026."""
    from livelihood import appraisal

    prog, candidates, voters = published(staff, congress, **values)
    appraisal.open_appraisal(actor=staff, programme_id=prog.pk, appraise_from=APPRAISE_FROM,
                             appraise_until=APPRAISE_UNTIL)  # fmt: skip
    return prog, candidates, voters


def collecting_now(staff, congress, projects=1):
    """A programme collecting proposals today (opened three days ago, for three weeks more)."""
    from datetime import timedelta

    from django.utils import timezone

    office, _officer = office_of(congress)
    today = timezone.localdate()
    prog = programme(staff, congress, office, projects=projects, solicit_from=today - timedelta(days=3),
                     solicit_until=today + timedelta(days=20), vote_on=today + timedelta(days=40))  # fmt: skip
    services.open_solicitation(actor=staff, programme_id=prog.pk)
    return prog


# Carrying out and supervision


def carried(staff, congress, projects=2):
    """A programme whose results are published, its first `projects` candidates chosen (one deputy present voted
    for them) and the last not; returns (programme, chosen, not chosen)."""
    from livelihood.models import CandidateOutcome

    prog, candidates = with_candidates(staff, congress, n_candidates=projects + 1, projects=projects)
    (voter,) = deputies(congress, 1)
    services.open_vote(actor=staff, programme_id=prog.pk, present=1)
    services.cast_vote(actor=voter.person.user, programme_id=prog.pk, candidate_ids=[c.pk for c in candidates[:-1]])
    services.close_vote(actor=staff, programme_id=prog.pk)
    services.publish(actor=staff, programme_id=prog.pk)
    for candidate in candidates:
        candidate.refresh_from_db()
    chosen = [c for c in candidates if c.outcome == CandidateOutcome.CHOSEN]
    return prog, chosen, [c for c in candidates if c.outcome != CandidateOutcome.CHOSEN]


def committee(congress, name="区人大常委会社会建设委员会"):
    return core.OrganisationFactory(name=name, region=congress.region, congress=congress, kind="special_committee",
                                    unit_category="")  # fmt: skip


def supervision_group(staff, project, members, leader=None):
    """The project's supervision group led by a committee of its congress, with these mandates (the first, or
    `leader`, its group leader)."""
    from deputies import services as deputy_services
    from livelihood import carrying

    congress = project.programme.congress
    supervision = carrying.assign_supervision(actor=staff, project_id=project.pk, committee_id=committee(congress).pk,
                                              group_name=f"{project.title}监督组")  # fmt: skip
    deputy_services.add_group_members(actor=staff, group_id=supervision.group_id, mandate_ids=[m.pk for m in members])
    lead = leader or members[0]
    membership = supervision.group.memberships.get(mandate=lead)
    deputy_services.set_group_role(actor=staff, membership_id=membership.pk, role="leader")
    return supervision


def milestone(actor, project, title="完成施工招标", workdays=20, **values):
    from livelihood import carrying

    return carrying.set_milestone(actor=actor, project_id=project.pk, title=title, workdays=workdays, **values)
