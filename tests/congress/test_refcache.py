"""Per-process copies of the holiday table and the policy overrides (congress.refcache): read once, then used
until a save or delete renews their version; the writer's own transaction never reads a stale copy."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congress import policies, refcache
from congress.models import CalendarDay, PolicyValue
from congress.workdays import Calendar
from tests.factories import CongressFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shared_cache(settings):
    # The suite's cache is per-process; a deployment's Redis is what lets the copies be kept.
    settings.REFCACHE_ENABLED = True


KEY = "opinion.triage_period"


def _queries(func) -> int:
    with CaptureQueriesContext(connection) as captured:
        func()
    return len(captured)


def test_a_policy_read_again_costs_no_query():
    congress = CongressFactory()
    policies.policy(congress, KEY)
    assert _queries(lambda: policies.policy(congress, KEY)) == 0


def test_a_saved_override_is_read_at_once_by_the_transaction_that_saved_it():
    congress = CongressFactory()
    default = policies.policy(congress, KEY)
    PolicyValue.objects.create(congress=congress, key=KEY, value=default + 3)
    assert policies.policy(congress, KEY) == default + 3


def test_a_committed_change_renews_the_version_other_processes_check(django_capture_on_commit_callbacks):
    congress = CongressFactory()
    policies.policy(congress, KEY)
    before = refcache.cache.get(refcache.PREFIX + policies.cache_name(congress.pk))
    with django_capture_on_commit_callbacks(execute=True):
        PolicyValue.objects.create(congress=congress, key=KEY, value=9)
    assert refcache.cache.get(refcache.PREFIX + policies.cache_name(congress.pk)) != before
    assert policies.policy(congress, KEY) == 9


def test_a_copy_is_used_until_another_process_renews_its_version():
    congress = CongressFactory()
    default = policies.policy(congress, KEY)
    # Another process's write: no signal here, only the version it renews after its commit.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO congress_policyvalue (congress_id, key, value, note, created_at, updated_at) "
            "VALUES (%s, %s, 12, '', now(), now())",
            [congress.pk, KEY],
        )
    assert policies.policy(congress, KEY) == default
    refcache._Bump(policies.cache_name(congress.pk))()
    assert policies.policy(congress, KEY) == 12


def test_a_holiday_entered_in_a_transaction_counts_in_it_and_the_calendar_is_copied_otherwise():
    Calendar.load()
    assert _queries(Calendar.load) == 0
    # Monday 23 November 2026 made a holiday: one working day after Friday the 20th is then Tuesday the 24th.
    CalendarDay.objects.create(date=date(2026, 11, 23), is_workday=False, name="test")
    assert Calendar.load().add_workdays(date(2026, 11, 20), 1).date == date(2026, 11, 24)


def test_without_a_shared_cache_every_read_goes_to_the_database(settings):
    settings.REFCACHE_ENABLED = False
    congress = CongressFactory()
    policies.policy(congress, KEY)
    assert _queries(lambda: policies.policy(congress, KEY)) == 1
