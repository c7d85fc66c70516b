"""Each phase of the programme has its dates (issue 27): proposals, screening, the vote, carrying out and the
year-end appraisal, in that order; the ones staff leave out take their defaults."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from congress.errors import RuleViolation
from livelihood import appraisal, services
from livelihood.models import Programme

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(congress):
    return f.office_of(congress)[0]


def test_screening_ends_on_the_vote_day_and_carrying_out_at_the_year_end_when_left_out(staff, congress, office):
    prog = f.programme(staff, congress, office, year=2026, vote_on=date(2026, 1, 10))
    assert prog.screen_until == date(2026, 1, 10)
    assert prog.carry_until == date(2026, 12, 31)
    assert prog.appraise_from is None and prog.appraise_until is None


def test_the_phases_given_are_kept(staff, congress, office):
    prog = f.programme(staff, congress, office, screen_until=date(2025, 12, 20), carry_until=date(2026, 11, 30),
                       appraise_from=date(2026, 12, 1), appraise_until=date(2026, 12, 15))  # fmt: skip
    prog.refresh_from_db()
    assert (prog.screen_until, prog.carry_until) == (date(2025, 12, 20), date(2026, 11, 30))
    assert (prog.appraise_from, prog.appraise_until) == (date(2026, 12, 1), date(2026, 12, 15))


@pytest.mark.parametrize(
    "dates, field",
    [
        ({"screen_until": date(2025, 11, 29)}, "screen_until"),  # before proposals close on 11-30
        ({"screen_until": date(2026, 1, 11)}, "vote_on"),  # after the vote on 01-10
        ({"carry_until": date(2026, 1, 9)}, "carry_until"),  # before the vote
        ({"appraise_from": date(2026, 12, 1)}, "appraise_until"),  # half a window
        ({"appraise_from": date(2026, 12, 10), "appraise_until": date(2026, 12, 9)}, "appraise_until"),
        ({"appraise_from": date(2026, 1, 9), "appraise_until": date(2026, 1, 20)}, "appraise_from"),  # before the vote
    ],
)
def test_phases_out_of_order_are_refused_on_the_field_at_fault(staff, congress, office, dates, field):
    with pytest.raises(RuleViolation) as refused:
        f.programme(staff, congress, office, **dates)
    assert field in refused.value.fields
    assert not Programme.objects.exists()


def test_the_database_refuses_a_vote_before_screening_ends(staff, congress, office):
    prog = f.programme(staff, congress, office)
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.filter(pk=prog.pk).update(screen_until=date(2026, 1, 11))


def test_an_edit_that_clears_the_carrying_out_date_restores_its_default(staff, congress, office):
    prog = f.programme(staff, congress, office, carry_until=date(2026, 6, 30))
    services.edit_programme(actor=staff, programme_id=prog.pk, carry_until=None)
    prog.refresh_from_db()
    assert prog.carry_until == date(2026, 12, 31)


def test_an_edit_out_of_order_is_refused_and_nothing_changes(staff, congress, office):
    prog = f.programme(staff, congress, office)
    with pytest.raises(RuleViolation) as refused:
        services.edit_programme(actor=staff, programme_id=prog.pk, carry_until=date(2026, 1, 1))
    assert "carry_until" in refused.value.fields
    prog.refresh_from_db()
    assert prog.carry_until == date(2026, 12, 31)


def test_the_appraisal_opens_on_its_planned_window_when_staff_give_none(staff, congress):
    prog, _candidates, _voters = f.published(staff, congress)
    Programme.objects.filter(pk=prog.pk).update(appraise_from=date(2026, 12, 1), appraise_until=date(2026, 12, 20))
    appraisal.open_appraisal(actor=staff, programme_id=prog.pk)
    prog.refresh_from_db()
    assert (prog.status, prog.appraise_from, prog.appraise_until) == ("appraising", date(2026, 12, 1),
                                                                       date(2026, 12, 20))  # fmt: skip


def test_without_a_planned_window_the_appraisal_needs_its_dates(staff, congress):
    prog, _candidates, _voters = f.published(staff, congress)
    with pytest.raises(RuleViolation) as refused:
        appraisal.open_appraisal(actor=staff, programme_id=prog.pk)
    assert "appraise_until" in refused.value.fields


def test_the_open_appraisal_form_offers_the_planned_window(client, staff, congress):
    prog, _candidates, _voters = f.published(staff, congress)
    Programme.objects.filter(pk=prog.pk).update(appraise_from=date(2026, 12, 1), appraise_until=date(2026, 12, 20))
    client.force_login(staff)
    page = client.get(f"/livelihood/{prog.pk}/appraisal/open/")
    assert page.status_code == 200
    assert 'value="2026-12-01"' in page.content.decode() and 'value="2026-12-20"' in page.content.decode()


def test_the_public_results_show_every_phase_date(client, staff, congress):
    prog, _candidates, _voters = f.published(staff, congress)
    page = client.get(f"/livelihood/{prog.pk}/results/").content.decode()
    for day in ("2025-11-01", "2025-11-30", "2026-01-10", "2026-12-31"):
        assert day in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_gives_existing_programmes_the_default_dates(back_to_the_latest_migrations, congress, office):
    before, after = [("livelihood", "0003_appraisal")], [("livelihood", "0004_phase_dates")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("livelihood", "Programme")
    row = old.objects.create(congress_id=congress.pk, region_code=congress.region.code, year=2025, title="2025年",
                             solicit_from=date(2024, 11, 1), solicit_until=date(2024, 11, 30),
                             vote_on=date(2025, 1, 12), projects=10, office_id=office.pk)  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps.get_model("livelihood", "Programme").objects.get(pk=row.pk)
    assert (new.screen_until, new.carry_until) == (date(2025, 1, 12), date(2025, 12, 31))
