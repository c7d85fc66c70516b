"""A unit released from a suggestion keeps read access to what it handled itself, and to nothing after it.

The lead unit confirms receipt, phones the deputy and asks to be released; staff release it and name another
unit, which replies with a signed letter the deputy rates. The released unit's officer then asks for the other
unit's records by id, through the API and the pages: each is refused, while its own assignment and contact
stay readable. A co-handling unit still working on a suggestion reads the lead's reply as before."""

import pytest
from django.test import Client
from django.urls import reverse

from suggestions import services
from suggestions.models import Feedback

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def handed_on(mandate, staff, lead_unit, co_unit, settings, tmp_path):
    """The suggestion, the released assignment and its contact, the new unit's assignment and its reply."""
    settings.MEDIA_ROOT = tmp_path
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    released = suggestion.assignments.get()
    services.confirm_receipt(actor=lead_unit[1], assignment_id=released.pk)
    contact = services.record_contact(actor=lead_unit[1], assignment_id=released.pk, on=released.assigned_on,
                                      mode="phone", summary="与代表电话沟通职责分工")  # fmt: skip
    request = services.request_reassignment(actor=lead_unit[1], assignment_id=released.pk, reason="不属于本单位职责")
    services.decide_reassignment(actor=staff, request_id=request.pk, approve=True, new_unit_id=co_unit[0].pk)
    later = suggestion.assignments.exclude(pk=released.pk).get()
    reply = f.reply_to(later, co_unit[1], text="经财政厅研究，已安排专项经费。")
    services.give_feedback(actor=mandate.person.user, suggestion_id=suggestion.pk, reply_id=reply.pk,
                           on_result="satisfied", on_attitude="satisfied")  # fmt: skip
    return suggestion, released, contact, later, reply


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_released_unit_cannot_read_the_later_units_assignment_by_id(handed_on, lead_unit):
    _suggestion, released, _contact, later, _reply = handed_on
    client = _signed_in(lead_unit[1])
    assert client.get(reverse("assignment-detail", args=[later.pk])).status_code == 404
    assert client.get(reverse("assignment-detail", args=[released.pk])).status_code == 200


def test_released_unit_cannot_download_the_later_units_letter(handed_on, lead_unit):
    *_, reply = handed_on
    assert _signed_in(lead_unit[1]).get(reverse("suggestions:letter", args=[reply.pk])).status_code == 404


def test_released_unit_lists_only_its_own_assignment(handed_on, lead_unit):
    _suggestion, released, *_ = handed_on
    body = _signed_in(lead_unit[1]).get(reverse("assignment-list")).json()
    assert [row["id"] for row in body["results"]] == [released.pk]


def test_released_units_view_of_the_suggestion_leaves_out_the_later_handling(handed_on, lead_unit):
    suggestion, released, *_ = handed_on
    body = _signed_in(lead_unit[1]).get(reverse("suggestion-detail", args=[suggestion.pk])).json()
    assert [row["id"] for row in body["assignments"]] == [released.pk]
    assert "专项经费" not in str(body)


def test_released_units_page_shows_its_own_contact_and_not_the_later_reply(handed_on, lead_unit, co_unit):
    suggestion, *_ = handed_on
    response = _signed_in(lead_unit[1]).get(reverse("suggestions:detail", args=[suggestion.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "与代表电话沟通职责分工" in page
    assert "专项经费" not in page
    assert co_unit[0].name not in page


def test_released_unit_reads_no_rating_of_the_later_reply(handed_on, lead_unit):
    from congress import scope

    *_, reply = handed_on
    rating = Feedback.objects.get(reply=reply)
    assert not scope.visible(lead_unit[1], Feedback).filter(pk=rating.pk).exists()
    assert scope.visible(lead_unit[1], Feedback).count() == 0


def test_the_unit_now_handling_reads_the_whole_suggestion(handed_on, co_unit):
    suggestion, released, _contact, later, reply = handed_on
    client = _signed_in(co_unit[1])
    body = client.get(reverse("suggestion-detail", args=[suggestion.pk])).json()
    assert sorted(row["id"] for row in body["assignments"]) == sorted([released.pk, later.pk])
    assert client.get(reverse("suggestions:letter", args=[reply.pk])).status_code == 200


def test_a_co_handling_unit_still_at_work_reads_the_leads_reply(mandate, staff, lead_unit, co_unit, settings,
                                                                 tmp_path):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    suggestion = f.assigned(mandate, staff, lead_unit[0], co=[co_unit[0]])
    lead = suggestion.assignments.get(unit=lead_unit[0])
    reply = f.reply_to(lead, lead_unit[1])
    assert _signed_in(co_unit[1]).get(reverse("suggestions:letter", args=[reply.pk])).status_code == 200
