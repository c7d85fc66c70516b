"""The main path of a suggestion, from draft to closed, through the services."""

import pytest

from congress.models import Deadline
from suggestions import services
from suggestions.models import AssignmentStatus, Status

from . import factories as f

pytestmark = pytest.mark.django_db


def test_suggestion_walks_from_draft_to_closed(mandate, deputy_user, staff, lead_unit, co_unit):
    unit, officer = lead_unit
    other, other_officer = co_unit
    suggestion = f.assigned(mandate, staff, unit, co=[other])
    assert suggestion.status == Status.ASSIGNED
    assert suggestion.number_label.endswith("建议第0001号")
    lead = suggestion.assignments.get(unit=unit)
    co = suggestion.assignments.get(unit=other)
    services.confirm_receipt(actor=other_officer, assignment_id=co.pk)
    services.send_co_opinion(actor=other_officer, assignment_id=co.pk, opinion="财政厅同意安排经费。")
    first = f.reply_to(lead, officer)
    suggestion.refresh_from_db()
    assert suggestion.status == Status.REPLIED
    services.give_feedback(actor=deputy_user, suggestion_id=suggestion.pk, reply_id=first.pk,
                           on_result="dissatisfied", on_attitude="satisfied", comment="时间仍不够")  # fmt: skip
    suggestion.refresh_from_db()
    assert suggestion.status == Status.REHANDLING
    lead.refresh_from_db()
    second = f.reply_to(lead, officer, text="再次研究后，经费已落实。")
    assert second.round == 2
    services.give_feedback(actor=deputy_user, suggestion_id=suggestion.pk, reply_id=second.pk,
                           on_result="satisfied", on_attitude="satisfied")  # fmt: skip
    suggestion.refresh_from_db()
    lead.refresh_from_db()
    assert (suggestion.status, lead.status) == (Status.CLOSED, AssignmentStatus.DONE)
    assert not Deadline.objects.open().filter(object_id=lead.pk, kind__startswith="assignment.reply").exists()
