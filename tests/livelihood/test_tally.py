"""The vote's rule, from its own numbers: of the deputies present, a project needs more than half (the policy's
50 %) and a place among the N most voted; a tie across the last place is left for a decision."""

from livelihood import tally


def test_the_n_most_voted_with_a_majority_are_chosen():
    # 200 present: a majority is 101 or more.
    votes = {1: 190, 2: 150, 3: 120, 4: 101, 5: 100, 6: 30}
    outcome = tally.count(votes, present=200, projects=3, percent=50)
    assert outcome.chosen == [1, 2, 3]
    assert outcome.not_chosen == [4, 5, 6]
    assert outcome.tied == []


def test_exactly_half_is_not_more_than_half():
    votes = {1: 100, 2: 101}
    outcome = tally.count(votes, present=200, projects=2, percent=50)
    assert outcome.chosen == [2]
    assert outcome.not_chosen == [1]


def test_fewer_are_chosen_when_fewer_reach_the_majority():
    votes = {1: 160, 2: 90, 3: 80}
    outcome = tally.count(votes, present=200, projects=3, percent=50)
    assert outcome.chosen == [1]


def test_a_tie_across_the_last_place_waits_for_a_decision():
    # Places for 2; candidates 2 and 3 share the second place.
    votes = {1: 180, 2: 150, 3: 150, 4: 120}
    outcome = tally.count(votes, present=200, projects=2, percent=50)
    assert outcome.chosen == [1]
    assert sorted(outcome.tied) == [2, 3]
    assert outcome.slots == 1
    assert outcome.not_chosen == [4]


def test_a_tie_that_fits_is_no_tie():
    votes = {1: 150, 2: 150, 3: 120}
    outcome = tally.count(votes, present=200, projects=2, percent=50)
    assert sorted(outcome.chosen) == [1, 2]
    assert outcome.tied == []


def test_a_tie_below_the_majority_is_not_chosen_at_all():
    votes = {1: 150, 2: 90, 3: 90}
    outcome = tally.count(votes, present=200, projects=2, percent=50)
    assert outcome.chosen == [1]
    assert outcome.tied == []
    assert outcome.not_chosen == [2, 3]


def test_ranks_share_places_on_equal_votes():
    outcome = tally.count({1: 150, 2: 150, 3: 120}, present=200, projects=3, percent=50)
    assert outcome.ranks == {1: 1, 2: 1, 3: 3}


def test_a_stricter_policy_raises_the_bar():
    # Two thirds of 90 present is 60: 61 passes, 60 does not.
    outcome = tally.count({1: 61, 2: 60}, present=90, projects=2, percent="66.6667")
    assert outcome.chosen == [1]
