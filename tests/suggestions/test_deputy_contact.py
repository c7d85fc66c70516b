"""A unit officer handling a suggestion sees how to reach its lead deputy: the phone masked, the deputy's chosen
channel, and a reveal of the full number that is logged as a personal-data access. Only the assigned units may."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from congress import personal_data
from congress.errors import Forbidden
from suggestions import services
from suggestions.models import Assignment

from . import factories

pytestmark = pytest.mark.django_db

PHONE = "13812341234"


@pytest.fixture
def assignment(congress, staff, lead_unit):
    mandate = factories.deputy(congress, phone=PHONE, preferred_contact="wechat", contact_note="工作日18:00以后")
    suggestion = factories.assigned(mandate, staff, lead_unit[0])
    return Assignment.objects.get(suggestion=suggestion)


def access_records(person):
    return LogEntry.objects.filter(
        object_pk=str(person.pk), additional_data__action=personal_data.ACTION, content_type__model="person"
    )


def test_the_officer_sees_the_phone_masked_and_the_chosen_channel(assignment, lead_unit):
    contact = services.deputy_to_contact(actor=lead_unit[1], assignment_id=assignment.pk)
    assert contact["masked_phone"] == "138****1234"
    assert contact["preferred"] == "微信（同手机号）"
    assert contact["note"] == "工作日18:00以后"


def test_revealing_the_phone_gives_the_full_number_and_records_the_access(assignment, lead_unit):
    officer = lead_unit[1]
    assert services.reveal_deputy_phone(actor=officer, assignment_id=assignment.pk) == PHONE
    person = assignment.suggestion.lead.person
    record = access_records(person).get()
    assert record.actor == officer
    assert record.additional_data["channel"] == "page"


def test_an_officer_of_another_unit_cannot_reveal(assignment, congress):
    _other_unit, other_officer = factories.unit_with_officer(congress, "省交通运输厅")
    with pytest.raises(Forbidden):
        services.reveal_deputy_phone(actor=other_officer, assignment_id=assignment.pk)
    assert not access_records(assignment.suggestion.lead.person).exists()


def test_a_unit_released_from_the_suggestion_cannot_reveal(assignment, lead_unit):
    Assignment.objects.filter(pk=assignment.pk).update(status="released")
    with pytest.raises(Forbidden):
        services.reveal_deputy_phone(actor=lead_unit[1], assignment_id=assignment.pk)


def test_the_suggestion_page_shows_the_officer_the_masked_phone_only(client, assignment, lead_unit):
    client.force_login(lead_unit[1])
    page = client.get(reverse("suggestions:detail", args=[assignment.suggestion_id])).content.decode()
    assert "138****1234" in page
    assert PHONE not in page
    assert not access_records(assignment.suggestion.lead.person).exists()


def test_the_reveal_page_shows_a_tel_link_and_is_logged(client, assignment, lead_unit):
    client.force_login(lead_unit[1])
    response = client.post(reverse("suggestions:reveal_deputy_phone", args=[assignment.pk]))
    assert response.status_code == 200
    assert f'href="tel:{PHONE}"' in response.content.decode()
    assert access_records(assignment.suggestion.lead.person).count() == 1


def test_another_units_officer_gets_403_from_the_reveal(client, assignment, congress):
    _other_unit, other_officer = factories.unit_with_officer(congress, "省交通运输厅")
    client.force_login(other_officer)
    response = client.post(reverse("suggestions:reveal_deputy_phone", args=[assignment.pk]))
    assert response.status_code == 403
    assert PHONE not in response.content.decode()


def test_the_deputy_of_the_suggestion_is_not_offered_the_unit_contact_panel(client, assignment):
    client.force_login(assignment.suggestion.lead.person.user)
    page = client.get(reverse("suggestions:detail", args=[assignment.suggestion_id])).content.decode()
    assert "data-deputy-contact" not in page


def test_without_a_phone_on_the_roster_the_officer_is_told_to_go_through_the_office(assignment, lead_unit):
    person = assignment.suggestion.lead.person
    person.phone = ""
    person.save()
    from congress.errors import RuleViolation

    with pytest.raises(RuleViolation):
        services.reveal_deputy_phone(actor=lead_unit[1], assignment_id=assignment.pk)
