"""The vote's checks on the embedded database of `make run` (SQLite, which lacks the one Postgres statement) give the
same answers as on Postgres: the seat, its status, the marks that are this programme's candidates and the turnout."""

import pytest

from livelihood import services

from . import factories as f

pytestmark = pytest.mark.django_db


def answers(state):
    return (state.pk, state.seat_id, state.seat_status, state.valid, state.voted)


def test_the_step_by_step_checks_match_the_single_statement(staff, congress, elsewhere):
    prog, candidates, voters = f.voting(staff, congress, present=3)
    services.cast_vote(actor=voters[0].person.user, programme_id=prog.pk, candidate_ids=[candidates[0].pk])
    _other, _other_staff, other_prog = elsewhere
    foreign = other_prog.candidates.first().pk
    for user in (voters[1].person.user, staff):  # a deputy of the congress, and someone without a seat
        wanted = sorted([candidates[0].pk, candidates[1].pk, foreign])
        one = services._voting_state(prog.pk, user.pk, wanted)
        steps = services._voting_state_in_steps(prog.pk, user.pk, wanted)
        assert answers(steps) == answers(one)
    assert answers(services._voting_state_in_steps(prog.pk, voters[1].person.user.pk, [candidates[0].pk]))[1:] == (
        voters[1].pk, "active", 1, 1)  # fmt: skip
    assert services._voting_state_in_steps(10**9, voters[1].person.user.pk, []) is None
