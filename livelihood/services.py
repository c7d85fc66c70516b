"""Every write of the livelihood-project vote: the programme and its phases, proposals and their merging, the
office's assessment, the candidate list, the vote and its count, ties and publication.

Each runs in a transaction, locks the row it changes and leaves an audit entry (the programme's through its
machine, workflow.PROGRAMME). A deputy's vote writes that they voted (Turnout) and their secret ballot (Ballot,
BallotMark) together, and nothing links the two."""

import math
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import audit, policies, scope, tombstones
from congress.errors import Conflict, Forbidden, RuleViolation
from congress.models import Congress, Organisation, OrganisationKind, Role, UnitCategory
from deputies.models import Mandate, MandateStatus
from liaison_stations.models import Station

from . import events, tally, workflow
from .models import (
    Ballot,
    BallotMark,
    Candidate,
    CandidateOutcome,
    Channel,
    Decision,
    Feasibility,
    Programme,
    ProgrammeStatus,
    Proposal,
    ProposalStatus,
    Source,
    Turnout,
)

PROGRAMME_FIELDS = (
    "year",
    "title",
    "solicit_from",
    "solicit_until",
    "screen_until",
    "vote_on",
    "carry_until",
    "appraise_from",
    "appraise_until",
    "projects",
    "office",
)
# The phases' dates that staff may leave out: screening ends on the vote's day, carrying out at the year's end, and
# the appraisal's window is given when it opens.
OPTIONAL_DATES = ("screen_until", "carry_until", "appraise_from", "appraise_until")


def lock_programme(programme_id: int) -> Programme:
    programme = (
        Programme.objects.select_for_update(of=("self",)).select_related("congress__region")
        .filter(pk=programme_id).first()
    )  # fmt: skip
    if programme is None:
        raise RuleViolation(_("The programme does not exist."))
    return programme


def _check_office(congress: Congress, office: Organisation | None) -> None:
    if office is None:
        raise RuleViolation(fields={"office": [_("Name the government office that assesses the proposals.")]})
    if (office.kind != OrganisationKind.HANDLING_UNIT or office.unit_category != UnitCategory.GOVERNMENT
            or office.region_id != congress.region_id):  # fmt: skip
        raise RuleViolation(fields={"office": [_("Choose a government department of the congress's own region.")]})


def _fill_dates(values: dict) -> dict:
    """The dates staff left out, from the ones they gave."""
    values = {**values}
    if values.get("screen_until") is None:
        values["screen_until"] = values["vote_on"]
    if values.get("carry_until") is None:
        # The programme's year, unless the vote itself falls in a later one.
        values["carry_until"] = date(max(values["year"], values["vote_on"].year), 12, 31)
    return values


def _check_dates(values: dict) -> None:
    if values["solicit_until"] < values["solicit_from"]:
        raise RuleViolation(fields={"solicit_until": [_("Proposals must end after they start.")]})
    if values["screen_until"] < values["solicit_until"]:
        raise RuleViolation(fields={"screen_until": [_("Screening ends after the proposals are collected.")]})
    if values["vote_on"] < values["screen_until"]:
        raise RuleViolation(fields={"vote_on": [_("The vote comes after the proposals are screened.")]})
    if values["carry_until"] < values["vote_on"]:
        raise RuleViolation(fields={"carry_until": [_("The projects are carried out after the vote.")]})
    start, end = values.get("appraise_from"), values.get("appraise_until")
    if (start is None) != (end is None):
        raise RuleViolation(fields={"appraise_until": [_("Give the appraisal's first and last day, or neither.")]})
    if start is not None and end < start:
        raise RuleViolation(fields={"appraise_until": [_("The appraisal must end after it starts.")]})
    if start is not None and start < values["vote_on"]:
        raise RuleViolation(fields={"appraise_from": [_("The appraisal comes after the vote.")]})
    if values["projects"] < 1:
        raise RuleViolation(fields={"projects": [_("Choose at least one project.")]})


def create_programme(*, actor, congress_id: int, **values) -> Programme:
    """Staff of a congress set up its programme for a year."""
    values = _fill_dates({key: values.get(key) if key in OPTIONAL_DATES else values[key] for key in PROGRAMME_FIELDS})
    with transaction.atomic(), audit.acting_as(actor):
        congress = Congress.objects.select_related("region").filter(pk=congress_id).first()
        if congress is None or congress.pk not in scope.congress_ids(actor, (Role.STAFF,)):
            raise Forbidden(_("Only the congress's staff set up its livelihood-project programme."))
        _check_office(congress, values["office"])
        _check_dates(values)
        if Programme.objects.filter(congress=congress, year=values["year"]).exists():
            raise RuleViolation(fields={"year": [_("This congress already has a programme for that year.")]})
        programme = Programme.objects.create(congress=congress, created_by=actor, **values)
    return programme


def edit_programme(*, actor, programme_id: int, **values) -> Programme:
    with transaction.atomic(), audit.acting_as(actor):
        programme = lock_programme(programme_id)
        move = workflow.PROGRAMME.allow(actor, programme, "edit")
        merged = {key: values.get(key, getattr(programme, key)) for key in PROGRAMME_FIELDS}
        # A date cleared on the form falls back to its default, as at creation.
        values = {**values, **{key: value for key, value in _fill_dates(merged).items() if key in values}}
        merged = _fill_dates(merged)
        _check_office(programme.congress, merged["office"])
        _check_dates(merged)
        changes = {}
        for key in PROGRAMME_FIELDS:
            if key in values and values[key] != getattr(programme, key):
                changes[key] = (getattr(programme, key), values[key])
                setattr(programme, key, values[key])
        move.apply(changes=changes)
    return programme


def open_solicitation(*, actor, programme_id: int) -> Programme:
    with transaction.atomic(), audit.acting_as(actor):
        programme = lock_programme(programme_id)
        workflow.PROGRAMME.apply(actor, programme, "open_solicitation")
    return programme


def close_solicitation(*, actor, programme_id: int) -> Programme:
    with transaction.atomic(), audit.acting_as(actor):
        programme = lock_programme(programme_id)
        workflow.PROGRAMME.apply(actor, programme, "close_solicitation")
    return programme


# Proposals


def _proposer(actor, programme: Programme, source: str, station_id) -> dict:
    """Who a proposal is recorded for: a citizen (anyone, online), the actor's seat in the programme's congress, or
    a station of the congress's region the actor manages."""
    if source == Source.CITIZEN:
        return {}
    if source == Source.DEPUTY:
        mandate = (
            Mandate.objects.filter(person__user_id=getattr(actor, "pk", None), congress_id=programme.congress_id,
                                   status=MandateStatus.ACTIVE).first()
        )  # fmt: skip
        if mandate is None:
            raise Forbidden(_("Only the congress's deputies propose projects through the portal."))
        return {"mandate": mandate}
    if source == Source.STATION:
        station = Station.objects.filter(pk=station_id, managers=getattr(actor, "pk", None)).first()
        if station is None or not station.region_code.startswith(programme.region_code):
            raise Forbidden(_("Record proposals only for a station you manage in the congress's region."))
        return {"station": station}
    raise RuleViolation(_("Unknown source of a proposal."))


def submit_proposal(*, programme_id: int, source: str, title: str, description: str, area: str, benefit: str = "",
                    proposer_name: str = "", phone: str = "", actor=None, station_id=None,
                    today: date | None = None) -> Proposal:  # fmt: skip
    """A proposal while the programme collects them (between its dates). A citizen's needs a verified phone (the
    view verifies it as for opinions); the proposal is followed by its tracking code."""
    today = today or timezone.localdate()
    errors = {}
    for name, value in (("title", title), ("description", description), ("area", area)):
        if not (value or "").strip():
            errors[name] = [_("This field is required.")]
    if source in (Source.CITIZEN, Source.STATION) and not (phone or "").strip():
        errors["phone"] = [_("Leave a mobile phone so the proposal can be followed up.")]
    if errors:
        raise RuleViolation(fields=errors)
    with transaction.atomic(), audit.acting_as(actor):
        programme = lock_programme(programme_id)
        workflow.PROGRAMME.check(programme, "propose")
        if not programme.solicit_from <= today <= programme.solicit_until:
            raise RuleViolation(
                _("Proposals are collected from %(start)s to %(end)s.")
                % {"start": programme.solicit_from.isoformat(), "end": programme.solicit_until.isoformat()}
            )
        who = _proposer(actor, programme, source, station_id)
        number = (programme.proposals.aggregate(n=Max("number"))["n"] or 0) + 1
        proposal = Proposal.objects.create(
            programme=programme, number=number, source=source, title=title.strip(), description=description.strip(),
            area=area.strip(), benefit=(benefit or "").strip(), proposer_name=(proposer_name or "").strip(),
            phone=(phone or "").strip(), recorded_by=actor if getattr(actor, "pk", None) else None, **who,
        )  # fmt: skip
    return proposal


def merge_proposals(*, actor, keep_id: int, merged_ids) -> Proposal:
    """Staff merge duplicates into one proposal; the merged ones follow it (their proposers' tracking codes show
    the proposal they were merged into)."""
    merged_ids = {int(pk) for pk in merged_ids} - {int(keep_id)}
    if not merged_ids:
        raise RuleViolation(fields={"merged": [_("Choose the proposals to merge into this one.")]})
    with transaction.atomic(), audit.acting_as(actor):
        keep = Proposal.objects.select_for_update().filter(pk=keep_id).first()
        if keep is None:
            raise RuleViolation(_("The proposal does not exist."))
        programme = lock_programme(keep.programme_id)
        move = workflow.PROGRAMME.allow(actor, programme, "merge")
        if keep.status == ProposalStatus.MERGED:
            raise RuleViolation(_("This proposal is itself merged into another."))
        rows = list(Proposal.objects.select_for_update().filter(pk__in=merged_ids, programme=programme))
        if len(rows) != len(merged_ids) or any(r.status == ProposalStatus.MERGED for r in rows):
            raise RuleViolation(fields={"merged": [_("Merge only open proposals of this programme.")]})
        # What was merged into the merged ones follows them.
        Proposal.objects.filter(merged_into__in=rows).update(merged_into=keep)
        for row in rows:
            row.status, row.merged_into = ProposalStatus.MERGED, keep
            row.save(update_fields=["status", "merged_into", "updated_at"])
            tombstones.merged("livelihood/proposals", row.pk, keep.pk, programme.region_code)
        move.apply(fields=[], changes={"merged": ([], sorted(merged_ids))}, into=keep.pk)
    return keep


def assess_proposal(*, actor, proposal_id: int, feasibility: str, cost, department: Organisation | None,
                    assessment: str) -> Proposal:  # fmt: skip
    """The assessing office's view of a proposal: feasibility, a cost estimate and the responsible department."""
    errors = {}
    if feasibility not in Feasibility.values:
        errors["feasibility"] = [_("Say whether the project is feasible.")]
    if feasibility != Feasibility.NOT_FEASIBLE:
        if cost is None or Decimal(cost) < 0:
            errors["cost"] = [_("Give a cost estimate of at least 0.")]
        if department is None:
            errors["department"] = [_("Name the department responsible.")]
    if not (assessment or "").strip():
        errors["assessment"] = [_("Give the reasons of the assessment.")]
    if errors:
        raise RuleViolation(fields=errors)
    with transaction.atomic(), audit.acting_as(actor):
        proposal = Proposal.objects.select_for_update().filter(pk=proposal_id).first()
        if proposal is None:
            raise RuleViolation(_("The proposal does not exist."))
        programme = lock_programme(proposal.programme_id)
        scope.require(actor, "livelihood.assess", proposal)
        workflow.PROGRAMME.check(programme, "assess")
        if proposal.status == ProposalStatus.MERGED:
            raise RuleViolation(_("A merged proposal is assessed with the one it was merged into."))
        if department is not None and (department.kind != OrganisationKind.HANDLING_UNIT
                                       or not department.region.code.startswith(programme.region_code)):  # fmt: skip
            raise RuleViolation(fields={"department": [_("Choose a handling unit of the congress's region.")]})
        proposal.feasibility, proposal.assessment = feasibility, assessment.strip()
        proposal.cost = None if cost is None else Decimal(cost)
        proposal.department = department
        proposal.assessed_by, proposal.assessed_at = actor, timezone.now()
        proposal.status = ProposalStatus.ASSESSED
        proposal.save()
    return proposal


def candidate_range(programme: Programme) -> tuple[int, int]:
    """How many candidates go to the vote: the projects to choose plus the policies' shares more, rounded up."""
    low = policies.policy(programme.congress, "livelihood.extra_candidates_min_percent")
    high = policies.policy(programme.congress, "livelihood.extra_candidates_max_percent")
    n = programme.projects
    return n + math.ceil(Decimal(n) * Decimal(low) / 100), n + math.ceil(Decimal(n) * Decimal(high) / 100)


def confirm_candidates(*, actor, programme_id: int, kept: dict, dropped: dict) -> list[Candidate]:
    """Staff confirm the candidate list: every open proposal is kept (in the order given, which is the ballot's)
    or dropped, each with its reason, which is published."""
    with transaction.atomic(), audit.acting_as(actor):
        programme = lock_programme(programme_id)
        move = workflow.PROGRAMME.allow(actor, programme, "confirm_candidates")
        kept = {int(pk): (reason or "").strip() for pk, reason in kept.items()}
        dropped = {int(pk): (reason or "").strip() for pk, reason in dropped.items()}
        open_rows = {
            p.pk: p for p in Proposal.objects.select_for_update(of=("self",)).filter(programme=programme)
            .exclude(status=ProposalStatus.MERGED).select_related("department")
        }  # fmt: skip
        if set(kept) & set(dropped):
            raise RuleViolation(_("A proposal is either kept or dropped, not both."))
        if set(kept) | set(dropped) != set(open_rows):
            missing = sorted(set(open_rows) - set(kept) - set(dropped))
            raise RuleViolation(
                _("Keep or drop every open proposal of the programme (undecided: %(numbers)s).")
                % {"numbers": "、".join(str(open_rows[pk].number) for pk in missing) or "—"}
            )
        unexplained = [open_rows[pk].number for pk, reason in {**kept, **dropped}.items() if not reason]
        if unexplained:
            raise RuleViolation(
                _("Give the reason for keeping or dropping proposals %(numbers)s.")
                % {"numbers": "、".join(str(n) for n in sorted(unexplained))}
            )
        unfit = [open_rows[pk].number for pk in kept if open_rows[pk].status != ProposalStatus.ASSESSED
                 or open_rows[pk].feasibility == Feasibility.NOT_FEASIBLE]  # fmt: skip
        if unfit:
            raise RuleViolation(
                _("Only proposals the office assessed as feasible can be candidates (not: %(numbers)s).")
                % {"numbers": "、".join(str(n) for n in sorted(unfit))}
            )
        low, high = candidate_range(programme)
        if not low <= len(kept) <= high:
            raise RuleViolation(
                _("Put %(low)s to %(high)s candidates to the vote for %(n)s projects (now %(count)s).")
                % {"low": low, "high": high, "n": programme.projects, "count": len(kept)}
            )
        candidates = []
        for number, pk in enumerate(kept, start=1):
            proposal = open_rows[pk]
            proposal.status, proposal.screening_reason = ProposalStatus.CANDIDATE, kept[pk]
            candidates.append(Candidate(programme=programme, proposal=proposal, number=number, title=proposal.title,
                                        department=proposal.department, cost=proposal.cost))  # fmt: skip
        for pk, reason in dropped.items():
            open_rows[pk].status, open_rows[pk].screening_reason = ProposalStatus.DROPPED, reason
        Proposal.objects.bulk_update(open_rows.values(), ["status", "screening_reason"])
        created = Candidate.objects.bulk_create(candidates)
        move.apply(changes={"candidates": ([], [c.proposal_id for c in created])})
        events.candidates_confirmed(programme, created)
    return created


# The vote


def open_vote(*, actor, programme_id: int, present: int) -> Programme:
    """The presidium opens the vote, with the number of deputies present at the session (the majority's base)."""
    with transaction.atomic(), audit.acting_as(actor):
        programme = lock_programme(programme_id)
        move = workflow.PROGRAMME.allow(actor, programme, "open_vote")
        seated = Mandate.objects.filter(congress_id=programme.congress_id, status=MandateStatus.ACTIVE).count()
        if not 1 <= int(present) <= seated:
            raise RuleViolation(
                fields={"present": [_("Between 1 and the %(n)s deputies in office can be present.") % {"n": seated}]}
            )
        programme.present, programme.vote_opened_at = int(present), timezone.now()
        move.apply(changes={"present": (None, programme.present)})
    return programme


# The deputy's turnout, unless they have voted: a conflict is an answer here, not an error to roll back to.
TURNOUT_SQL = (
    f"INSERT INTO {Turnout._meta.db_table} (programme_id, mandate_id, channel, voted_at) "
    "VALUES (%s, %s, %s, %s) ON CONFLICT (programme_id, mandate_id) DO NOTHING RETURNING id"
)


# The programme with the user's seat in its congress, how many of the ballot's marks are its candidates and how
# many deputies have voted, in one statement (hundreds of deputies vote at once; the ORM's version of this query
# costs more to build than to run).
VOTING_STATE_SQL = f"""
SELECT g.*,
       seat.id AS seat_id, seat.status AS seat_status,
       (SELECT count(*) FROM {Candidate._meta.db_table} c
         WHERE c.programme_id = g.id AND c.id = ANY(%(wanted)s::integer[])) AS valid,
       (SELECT count(*) FROM {Turnout._meta.db_table} t WHERE t.programme_id = g.id) AS voted
FROM {Programme._meta.db_table} g
LEFT JOIN LATERAL (
    SELECT m.id, m.status FROM {Mandate._meta.db_table} m
    JOIN {Mandate.person.field.related_model._meta.db_table} p ON p.id = m.person_id
    WHERE m.congress_id = g.congress_id AND p.user_id = %(user)s ORDER BY m.id LIMIT 1
) seat ON true
WHERE g.id = %(programme)s
"""


def _voting_state(programme_id: int, user_id, wanted: list[int]) -> Programme | None:
    if connection.vendor != "postgresql":
        return _voting_state_in_steps(programme_id, user_id, wanted)
    rows = Programme.objects.raw(VOTING_STATE_SQL, {"programme": programme_id, "user": user_id, "wanted": wanted})
    return next(iter(rows), None)


def _voting_state_in_steps(programme_id: int, user_id, wanted: list[int]) -> Programme | None:
    """The same answer for the embedded database of `make run`, which lacks Postgres's arrays and lateral joins."""
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        return None
    seat = (Mandate.objects.filter(congress_id=programme.congress_id, person__user_id=user_id)
            .order_by("pk").values("pk", "status").first()) or {}  # fmt: skip
    programme.seat_id, programme.seat_status = seat.get("pk"), seat.get("status")
    programme.valid = Candidate.objects.filter(programme=programme, pk__in=wanted).count()
    programme.voted = Turnout.objects.filter(programme=programme).count()
    return programme


def cast_vote(*, actor, programme_id: int, candidate_ids, channel: str = Channel.PHONE) -> Turnout:
    """A deputy present votes once, for at most the projects to choose (none is a valid, empty ballot)."""
    wanted = sorted({int(pk) for pk in candidate_ids})
    if channel not in (Channel.PHONE, Channel.TABLET):
        raise RuleViolation(_("Paper ballots are entered by the tellers."))
    with transaction.atomic(), audit.acting_as(actor):
        # No lock on the programme: 300 deputies vote at once. Their inserts hold a key-share lock on its row, so
        # close_vote's row lock waits for the ballots being written, and a ballot written after the count fails
        # the check at the end.
        programme = _voting_state(programme_id, getattr(actor, "pk", None), wanted)
        if programme is None:
            raise RuleViolation(_("The programme does not exist."))
        if programme.seat_id is None:
            raise Forbidden(_("Only the congress's deputies vote on its livelihood projects."))
        if programme.seat_status != MandateStatus.ACTIVE:
            raise Forbidden(_("A deputy whose mandate is suspended or has ended cannot vote."))
        move = workflow.PROGRAMME.allow(actor, programme, "vote")
        if len(wanted) > programme.projects:
            too_many = _("Vote for at most %(n)s projects.") % {"n": programme.projects}
            raise RuleViolation(fields={"candidates": [too_many]})
        if programme.valid != len(wanted):
            raise RuleViolation(fields={"candidates": [_("Vote only for this programme's candidates.")]})
        if programme.voted >= programme.present:
            raise Conflict(_("As many deputies have voted as are present: ask the presidium to check the count."))
        turnout = Turnout(programme=programme, mandate_id=programme.seat_id, channel=channel, voted_at=timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(TURNOUT_SQL, [programme.pk, turnout.mandate_id, channel, turnout.voted_at])
            inserted = cursor.fetchone()
        if inserted is None:
            raise Conflict(_("You have already voted."))
        turnout.pk = inserted[0]
        ballot = Ballot.objects.create(programme=programme, channel=channel)
        BallotMark.objects.bulk_create([BallotMark(ballot=ballot, candidate_id=pk) for pk in wanted])
        if not Programme.objects.filter(pk=programme.pk, status=ProgrammeStatus.VOTING).exists():
            raise Conflict(_("The vote has closed."))
        move.apply(fields=[])  # who voted, never what
    return turnout


def votes_of(programme: Programme) -> dict[int, int]:
    """Every candidate's votes (0 included), from the ballots' marks."""
    counted = dict(
        BallotMark.objects.filter(ballot__programme=programme).values("candidate").annotate(n=Count("pk"))
        .values_list("candidate", "n")
    )  # fmt: skip
    return {pk: counted.get(pk, 0) for pk in programme.candidates.values_list("pk", flat=True)}


def close_vote(*, actor, programme_id: int) -> Programme:
    """The presidium closes the vote: the ballots are counted and the projects chosen (tally.py); a tie at the
    cut-off waits for a recorded decision."""
    with transaction.atomic(), audit.acting_as(actor):
        programme = lock_programme(programme_id)
        move = workflow.PROGRAMME.allow(actor, programme, "close_vote")
        from .paper import check_all_counted, check_returned  # paper.py builds on this module

        check_all_counted(programme)
        check_returned(programme)
        ballots = programme.ballots.count()
        if ballots != programme.turnout.count():
            raise Conflict(_("The ballots and the deputies who voted do not match: the count stops here."))
        if ballots > programme.present:
            raise RuleViolation(
                _("%(ballots)s ballots were cast by %(present)s deputies present: correct the number present first.")
                % {"ballots": ballots, "present": programme.present}
            )
        votes = votes_of(programme)
        percent = policies.policy(programme.congress, "livelihood.majority_percent")
        outcome = tally.count(votes, present=programme.present, projects=programme.projects, percent=percent)
        rows = list(Candidate.objects.select_for_update().filter(programme=programme))
        for row in rows:
            row.votes, row.rank = votes[row.pk], outcome.ranks[row.pk]
            row.outcome = (CandidateOutcome.CHOSEN if row.pk in outcome.chosen else CandidateOutcome.TIED
                           if row.pk in outcome.tied else CandidateOutcome.NOT_CHOSEN)  # fmt: skip
        Candidate.objects.bulk_update(rows, ["votes", "rank", "outcome"])
        programme.vote_closed_at, programme.tie_slots = timezone.now(), outcome.slots
        move.apply(changes={"ballots": (None, ballots), "chosen": ([], sorted(outcome.chosen)),
                            "tied": ([], sorted(outcome.tied))})  # fmt: skip
        events.vote_closed(programme, rows, ballots)
    return programme


def break_tie(*, actor, programme_id: int, chosen_ids, reason: str) -> Decision:
    """Staff decide which of the candidates tied at the cut-off are chosen, recording why."""
    if not (reason or "").strip():
        raise RuleViolation(fields={"reason": [_("Record the reason for the decision.")]})
    with transaction.atomic(), audit.acting_as(actor):
        programme = lock_programme(programme_id)
        move = workflow.PROGRAMME.allow(actor, programme, "break_tie")
        if not programme.tie_slots:
            raise RuleViolation(_("No tie is waiting for a decision here."))
        tied = list(Candidate.objects.select_for_update().filter(programme=programme, outcome=CandidateOutcome.TIED))
        chosen = {int(pk) for pk in chosen_ids}
        if not chosen <= {c.pk for c in tied} or len(chosen) != programme.tie_slots:
            raise RuleViolation(
                fields={"chosen": [_("Choose exactly %(n)s of the tied projects.") % {"n": programme.tie_slots}]}
            )
        for row in tied:
            row.outcome = CandidateOutcome.CHOSEN if row.pk in chosen else CandidateOutcome.NOT_CHOSEN
        Candidate.objects.bulk_update(tied, ["outcome"])
        decision = Decision.objects.create(programme=programme, candidate_ids=sorted(chosen), reason=reason.strip(),
                                           decided_by=actor)  # fmt: skip
        programme.tie_slots = 0
        move.apply(changes={"tie": ([], sorted(chosen))}, reason=reason.strip())
    return decision


def publish(*, actor, programme_id: int) -> Programme:
    """The results go public at once, with every candidate's count."""
    with transaction.atomic(), audit.acting_as(actor):
        programme = lock_programme(programme_id)
        move = workflow.PROGRAMME.allow(actor, programme, "publish")
        if programme.tie_slots:
            raise RuleViolation(_("Decide the tie at the cut-off before the results are published."))
        programme.published_at = timezone.now()
        move.apply()
        events.published(programme)
    return programme
