"""Deadlines read as work to do wherever they are listed: the kind's label and the subject by its name, never
`opinion.referral` or `assignment #25`."""

import pytest
from django.urls import reverse

from congress import deadlines
from congress.models import Deadline
from liaison_stations import services
from tests import factories
from tests.liaison_stations.factories import managed_station
from tests.visible import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def referred_opinion():
    station, _manager = managed_station()
    opinion = services.submit_opinion(station=station, phone="13912345678", category="urban", content="路灯不亮。")
    deadlines.close_deadline(opinion, services.TRIAGE_DEADLINE)
    deadlines.open_deadline(subject=opinion, kind=services.REFERRAL_DEADLINE, start=opinion.created_at.date(),
                            value=10, unit="workdays")  # fmt: skip
    return opinion


@pytest.fixture
def superuser_client(client):
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    return client


def test_console_deadline_list_names_the_kind_and_the_opinion(superuser_client, referred_opinion):
    body = visible_text(superuser_client.get(reverse("admin:congress_deadline_changelist")).content.decode())
    assert "转交办理群众意见的答复" in body
    assert f"群众意见 {referred_opinion.tracking_code}" in body
    assert "opinion.referral" not in body
    assert "opinion #" not in body


def test_console_deadline_filter_offers_kinds_by_label(superuser_client, referred_opinion):
    body = superuser_client.get(reverse("admin:congress_deadline_changelist")).content.decode()
    assert "?kind=opinion.referral" in body
    assert ">opinion.referral<" not in body


def test_console_deadline_page_names_the_subject(superuser_client, referred_opinion):
    deadline = Deadline.objects.open().get(kind=services.REFERRAL_DEADLINE)
    body = visible_text(
        superuser_client.get(reverse("admin:congress_deadline_change", args=[deadline.pk])).content.decode()
    )
    assert f"群众意见 {referred_opinion.tracking_code}" in body
    assert "opinion.referral" not in body


def test_console_deadline_of_an_assignment_names_the_suggestion(superuser_client):
    from tests.suggestions import factories as sf

    congress = factories.CongressFactory()
    unit, _officer = sf.unit_with_officer(congress)
    suggestion = sf.assigned(sf.deputy(congress), factories.staff_of(congress), unit)
    body = visible_text(superuser_client.get(reverse("admin:congress_deadline_changelist")).content.decode())
    assert suggestion.title in body
    assert "assignment #" not in body


def test_deadline_of_a_deleted_record_names_its_kind_of_record(referred_opinion):
    deadline = Deadline.objects.open().get(kind=services.REFERRAL_DEADLINE)
    deadline.object_id = 999_999_999
    assert deadlines.subject_label(deadline).endswith("（已删除）")
