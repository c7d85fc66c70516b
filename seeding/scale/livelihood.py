"""The livelihood-project vote's part of `manage.py seed_scale`: per congress with deputies (township congresses
aside, as the other parts do), this year's programme with its proposals (citizens' mostly, some deputies' and
stations'), assessed by the region's government office, 13 candidates for 10 projects, and the vote held: each
active deputy present voted once, secretly, for at most 10. The count and the cut-off are the rule's own
(livelihood.tally); a tie at the cut-off is left for a recorded decision, otherwise the results are published.

Written with batched inserts and COPY (turnout, ballots and their marks); run again, it keeps what is there."""

import time
import uuid
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from congress import bulk, policies
from congress.models import Organisation, OrganisationKind, UnitCategory
from livelihood import tally
from livelihood.models import (
    Ballot,
    BallotMark,
    Candidate,
    CandidateOutcome,
    Programme,
    ProgrammeStatus,
    Proposal,
    ProposalStatus,
    Turnout,
)
from seeding.scale.deputies import active_by_congress

PROJECTS, CANDIDATES = 10, 13
TITLES = ["老旧小区加装电梯", "社区长者饭堂", "背街小巷改造", "城乡公交线路优化", "农村饮水安全提升", "中小学午托服务",
          "口袋公园建设", "菜市场升级改造", "停车位扩容", "河道综合整治", "社区卫生服务站建设", "积水点改造",
          "残疾人托养服务"]  # fmt: skip
AREAS = ["城区", "东片", "西片", "南片", "北片"]
KEPT, DROPPED = "群众呼声高，资金可落实", "已列入其他计划或本年度不具备实施条件"
LEVELS = ("provincial", "municipal", "county")


def add_arguments(parser) -> None:
    parser.add_argument(
        "--livelihood-proposals-per-100", type=int, default=20,
        help="Proposals in each congress's livelihood-project programme per 100 active deputies (at least 15; 0: no "
             "programmes)",
    )  # fmt: skip


def seed(context) -> None:
    code = context.province.code
    existing = Programme.objects.filter(region_code__startswith=code).count()
    per_100 = context.options["livelihood_proposals_per_100"]
    if existing or not per_100:
        context.report.append(("livelihood programmes (kept)", existing, 0.0))
        return
    started = time.perf_counter()
    today = timezone.localdate()
    pools = active_by_congress(code)
    congresses = [c for level in LEVELS for c in context.congresses.get(level, []) if pools.get(c.pk)]
    with transaction.atomic():
        programmes = _programmes(congresses, pools, today)
        proposals = _proposals(context.rng, programmes, pools, per_100)
        candidates = _candidates(programmes, proposals)
        ballots = _vote(context.rng, programmes, candidates, pools)
    context.timed("livelihood programmes", len(programmes), started)
    context.report.append(("livelihood proposals", sum(len(rows) for rows in proposals.values()), 0.0))
    context.report.append(("livelihood ballots", ballots, 0.0))


def _offices(congresses) -> dict[int, Organisation]:
    """Each congress region's government office (政府办公室), the programme's assessor."""
    Organisation.objects.bulk_create(
        [Organisation(name=f"{c.region.name}人民政府办公室", kind=OrganisationKind.HANDLING_UNIT,
                      unit_category=UnitCategory.GOVERNMENT, region=c.region) for c in congresses],
        batch_size=5000, ignore_conflicts=True,
    )  # fmt: skip
    names = {f"{c.region.name}人民政府办公室" for c in congresses}
    found = {
        o.region_id: o for o in Organisation.objects.filter(name__in=names, region__in=[c.region for c in congresses])
    }
    return {c.pk: found[c.region_id] for c in congresses}


def _programmes(congresses, pools, today) -> list[Programme]:
    offices = _offices(congresses)
    year = today.year
    now = timezone.now()
    rows = [
        Programme(
            congress=c, region_code=c.region.code, year=year, title=f"{c.region.name}{year}年民生实事项目票决",
            solicit_from=date(year, 1, 1), solicit_until=date(year, 1, 31), screen_until=date(year, 2, 10),
            vote_on=date(year, 2, 20), carry_until=date(year, 12, 31),
            projects=PROJECTS, office=offices[c.pk], status=ProgrammeStatus.COUNTED, present=len(pools[c.pk]),
            vote_opened_at=now, vote_closed_at=now,
        )
        for c in congresses
    ]  # fmt: skip
    return Programme.objects.bulk_create(rows, batch_size=2000)


def _proposals(rng, programmes, pools, per_100) -> dict[int, list[Proposal]]:
    """The first CANDIDATES + 2 of each programme assessed feasible (the candidates and two dropped), the rest
    dropped as not feasible this year."""
    departments: dict[int, list[int]] = {}
    for pk, region_id in (
        Organisation.objects.filter(
            region__in={p.congress.region_id for p in programmes}, kind=OrganisationKind.HANDLING_UNIT
        )
        .exclude(name__endswith="人民政府办公室")
        .values_list("pk", "region_id")
    ):
        departments.setdefault(region_id, []).append(pk)
    rows = []
    for programme in programmes:
        units = departments.get(programme.congress.region_id) or [programme.office_id]
        for n in range(1, max(CANDIDATES + 2, len(pools[programme.congress_id]) * per_100 // 100) + 1):
            feasible = n <= CANDIDATES + 2
            title = TITLES[(n - 1) % len(TITLES)] if feasible else f"{rng.choice(TITLES)}（{n}）"
            rows.append(Proposal(
                programme=programme, number=n, tracking_code=uuid.uuid4().hex[:12].upper(), source="citizen",
                title=title, description=f"建议实施{title}，惠及周边群众。", area=rng.choice(AREAS),
                phone=f"139{programme.pk % 10000:04d}{n % 10000:04d}",
                status=ProposalStatus.DROPPED, feasibility="feasible" if feasible else "not_feasible",
                cost=Decimal(rng.randint(50, 3000)) if feasible else None,
                department_id=units[n % len(units)] if feasible else None, assessment="经评估，资金和用地可以落实。",
                screening_reason=KEPT if n <= CANDIDATES else DROPPED,
            ))  # fmt: skip
    for row in rows:
        if row.number <= CANDIDATES:
            row.status = ProposalStatus.CANDIDATE
    created = Proposal.objects.bulk_create(rows, batch_size=5000)
    by_programme: dict[int, list[Proposal]] = {}
    for proposal in created:
        by_programme.setdefault(proposal.programme_id, []).append(proposal)
    return by_programme


def _candidates(programmes, proposals) -> dict[int, list[Candidate]]:
    rows = [
        Candidate(programme=programme, proposal=p, number=p.number, title=p.title, department_id=p.department_id,
                  cost=p.cost)
        for programme in programmes for p in proposals[programme.pk][:CANDIDATES]
    ]  # fmt: skip
    by_programme: dict[int, list[Candidate]] = {}
    for candidate in Candidate.objects.bulk_create(rows, batch_size=5000):
        by_programme.setdefault(candidate.programme_id, []).append(candidate)
    return by_programme


def _vote(rng, programmes, candidates, pools) -> int:
    """Every active deputy present votes once for up to PROJECTS candidates, popular ones more often; turnout and
    ballots are written apart, with nothing joining them (the ballots in a shuffled order)."""
    turnout, ballots, marks = [], [], []
    now = timezone.now()
    for programme in programmes:
        running = candidates[programme.pk]
        weights = [1 / (place + 1.5) for place in range(len(running))]
        votes = dict.fromkeys((c.pk for c in running), 0)
        for mandate_id in pools[programme.congress_id]:
            turnout.append((programme.pk, mandate_id, "phone", now))
            ballot = uuid.uuid4()
            ballots.append((ballot, programme.pk, "phone"))
            picked = {rng.choices(running, weights)[0].pk for _ in range(rng.randint(6, PROJECTS))}
            for pk in picked:
                votes[pk] += 1
                marks.append((uuid.uuid4(), ballot, pk))
        _count(programme, running, votes)
    rng.shuffle(ballots)
    bulk.copy_insert(Turnout, ["programme_id", "mandate_id", "channel", "voted_at"], turnout)
    bulk.copy_insert(Ballot, ["id", "programme_id", "channel"], ballots)
    bulk.copy_insert(BallotMark, ["id", "ballot_id", "candidate_id"], marks)
    Candidate.objects.bulk_update([c for rows in candidates.values() for c in rows], ["votes", "rank", "outcome"],
                                  batch_size=5000)  # fmt: skip
    Programme.objects.bulk_update(programmes, ["status", "tie_slots", "published_at"], batch_size=2000)
    return len(ballots)


def _count(programme, running, votes) -> None:
    percent = policies.policy(programme.congress, "livelihood.majority_percent")
    outcome = tally.count(votes, present=programme.present, projects=programme.projects, percent=percent)
    for c in running:
        c.votes, c.rank = votes[c.pk], outcome.ranks[c.pk]
        c.outcome = (CandidateOutcome.CHOSEN if c.pk in outcome.chosen else CandidateOutcome.TIED
                     if c.pk in outcome.tied else CandidateOutcome.NOT_CHOSEN)  # fmt: skip
    programme.tie_slots = outcome.slots
    if not outcome.slots:
        programme.status, programme.published_at = ProgrammeStatus.PUBLISHED, timezone.now()
