"""300 deputies voting at once: every ballot is counted exactly once, a deputy voting twice at the same moment
is counted once, and the count matches the ballots cast (a test that really runs concurrently)."""

import threading

import pytest
from django.db import connection

from congress.errors import Conflict
from livelihood import services
from livelihood.models import Ballot, Turnout

from . import factories as f

# serialized_rollback puts back the rows the migrations seeded, which the flush after a transactional test removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

VOTERS = 300
THREADS = 30  # each thread votes for ten deputies: 300 voters within Postgres's connection limit


def marks(i: int) -> list[int]:
    """Deputy i's ballot, so the counts are known beforehand: A 300, B 250, C 200, D 100."""
    if i < 100:
        return [0, 1, 3]
    if i < 250:
        return [0, 1, 2]
    return [0, 2]


def run_together(jobs):
    barrier = threading.Barrier(len(jobs))
    outcomes, lock = [], threading.Lock()

    def run(calls):
        try:
            barrier.wait()
            for call in calls:
                try:
                    call()
                    result = "counted"
                except Conflict:
                    result = "refused"
                with lock:
                    outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(calls,)) for calls in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_300_deputies_voting_at_once_are_each_counted_once():
    congress = f.congress()
    staff = f.core.staff_of(congress)
    prog, c = f.with_candidates(staff, congress, n_candidates=4, projects=3)
    voters = f.deputies(congress, VOTERS)
    services.open_vote(actor=staff, programme_id=prog.pk, present=VOTERS)

    def ballot(i):
        user = voters[i].person.user
        return lambda: services.cast_vote(actor=user, programme_id=prog.pk, candidate_ids=[c[k].pk for k in marks(i)])

    # Thread n votes for deputies n, n + 30, n + 60 …; deputies 0 to 19 also press "vote" a second time at the
    # same moment, first thing in another thread.
    jobs = [[ballot(i) for i in range(n, VOTERS, THREADS)] for n in range(THREADS)]
    for i in range(20):
        jobs[(i + THREADS // 2) % THREADS].insert(0, ballot(i))
    outcomes = run_together(jobs)

    assert outcomes.count("counted") == VOTERS
    assert outcomes.count("refused") == 20
    assert Turnout.objects.filter(programme=prog).count() == VOTERS
    assert Ballot.objects.filter(programme=prog).count() == VOTERS
    services.close_vote(actor=staff, programme_id=prog.pk)
    assert [x.votes for x in prog.candidates.order_by("number")] == [300, 250, 200, 100]
    assert [x.outcome for x in prog.candidates.order_by("number")] == ["chosen", "chosen", "chosen", "not_chosen"]
