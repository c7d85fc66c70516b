"""The landing page's deadlines read as work to do: the kind's label and a link to the record, not a code."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from congress import deadlines
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return factories.OrganisationFactory(name="广东省教育厅")


def _deadline(subject, unit, kind="test.home"):
    return deadlines.open_deadline(
        subject=subject, kind=kind, start=timezone.localdate(), value=3, unit="workdays", responsible_org=unit
    )


def test_deadline_shows_the_label_of_its_kind(client, unit):
    deadlines.register_kind("test.home", "答复群众意见")
    _deadline(unit, unit)
    client.force_login(factories.officer_of(unit))
    body = client.get(reverse("home")).content.decode()
    assert "答复群众意见" in body
    assert "test.home" not in body


def test_deadline_of_a_record_without_a_page_names_it_unlinked(client, unit):
    _deadline(unit, unit)
    client.force_login(factories.officer_of(unit))
    row = client.get(reverse("home")).context["deadlines"][0]
    assert (row.subject_label, row.link) == (str(unit), "")


def test_deadline_of_a_record_with_a_page_links_to_it(client, unit):
    from liaison_stations import services
    from tests.liaison_stations.factories import managed_station

    station, _manager = managed_station()
    opinion = services.submit_opinion(station=station, phone="13912345678", category="urban", content="路灯不亮。")
    deadlines.close_deadline(opinion, services.TRIAGE_DEADLINE)
    _deadline(opinion, unit, kind=services.REFERRAL_DEADLINE)
    client.force_login(factories.officer_of(unit))
    body = client.get(reverse("home")).content.decode()
    assert f'href="{opinion.get_absolute_url()}"' in body


def test_deadlines_beyond_two_weeks_wait(client, unit):
    deadline = _deadline(unit, unit)
    deadline.due_date = timezone.localdate() + timedelta(days=30)
    deadline.save(update_fields=["due_date"])
    client.force_login(factories.officer_of(unit))
    assert client.get(reverse("home")).context["deadlines"] == []


def test_a_deadline_already_past_is_marked_overdue(client, unit):
    from datetime import date

    import time_machine

    deadlines.register_kind("test.home", "答复群众意见")
    other = factories.OrganisationFactory(name="广东省财政厅")
    # Three working days after Monday 2 November 2026: Thursday 5 November; after Thursday 12 November: the 17th.
    deadlines.open_deadline(subject=unit, kind="test.home", start=date(2026, 11, 2), value=3, unit="workdays",
                            responsible_org=unit)  # fmt: skip
    deadlines.open_deadline(subject=other, kind="test.home", start=date(2026, 11, 12), value=3, unit="workdays",
                            responsible_org=unit)  # fmt: skip
    client.force_login(factories.officer_of(unit))
    with time_machine.travel("2026-11-12 10:00 +0800", tick=False):
        response = client.get(reverse("home"))
    rows = response.context["deadlines"]
    assert [(row.due_date, row.overdue) for row in rows] == [(date(2026, 11, 5), True), (date(2026, 11, 17), False)]
    assert response.content.decode().count('class="tag danger"') == 1
