"""The demo shows a realistic spread of duty grades, the demo deputy reads as a typical year, and a rerun adds no
duty entries."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

import seeding.demo.deputies
from deputies import selectors
from deputies.models import Mandate

pytestmark = pytest.mark.django_db


def test_demo_grades_spread_over_good_fair_and_poor():
    call_command("seed_demo", "--allow-without-debug", verbosity=0)
    year = timezone.localdate().year - 1
    mandates = Mandate.objects.filter(congress__region__code__in=seeding.demo.deputies.ROSTERS)
    evaluations = selectors.yearly_evaluations(mandates, year)
    grades = Counter(evaluation.grade for evaluation in evaluations.values())
    total = sum(grades.values())
    assert total >= 100
    for grade in ("good", "fair", "poor"):
        assert grades[grade] >= total // 10, grades  # each grade at least a tenth of the deputies
    assert grades["fair"] + grades["good"] > grades["poor"], grades  # most deputies are doing their duty
    mine = mandates.filter(person__user__username="deputy")
    assert {evaluation.grade for evaluation in selectors.yearly_evaluations(mine, year).values()} <= {"fair", "good"}
    assert seeding.demo.deputies.duty_records() == 0
