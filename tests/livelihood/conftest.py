"""Fixtures of the livelihood surfaces' tests (the API, the exports, the dashboard): a county's congress and staff,
a programme with 4 candidates for 3 projects, another county's programme, and a vote held with given ballots."""

import pytest

from livelihood import services

from . import factories as f


@pytest.fixture
def congress(db):
    return f.congress()


@pytest.fixture
def staff(congress):
    return f.core.staff_of(congress)


@pytest.fixture
def ready(staff, congress):
    """A programme with 4 candidates for 3 projects, the vote not open yet."""
    return f.with_candidates(staff, congress, n_candidates=4, projects=3)


@pytest.fixture
def elsewhere(db):
    """Another county's congress, its staff and its programme through screening."""
    other = f.core.CongressFactory(region=f.core.county("440104", "越秀区"))
    other_staff = f.core.staff_of(other)
    prog, _candidates = f.with_candidates(other_staff, other, n_candidates=4, projects=3)
    return other, other_staff, prog


@pytest.fixture
def cast(staff, congress):
    """cast(programme, candidates, marks): the vote opened with len(marks) deputies present, each voting for the
    candidates at the given indexes; returns their mandates."""

    def vote(prog, candidates, marks):
        voters = f.deputies(congress, len(marks))
        services.open_vote(actor=staff, programme_id=prog.pk, present=len(marks))
        for voter, picks in zip(voters, marks, strict=True):
            services.cast_vote(actor=voter.person.user, programme_id=prog.pk,
                               candidate_ids=[candidates[i].pk for i in picks])  # fmt: skip
        return voters

    return vote


@pytest.fixture
def carried(staff, congress):
    """A published programme: two chosen projects and one not chosen."""
    return f.carried(staff, congress, projects=2)


@pytest.fixture
def project(carried):
    """The first chosen project of `carried`."""
    return carried[1][0]


@pytest.fixture
def officer(project):
    """An officer of the project's responsible department."""
    return f.core.officer_of(project.department)
