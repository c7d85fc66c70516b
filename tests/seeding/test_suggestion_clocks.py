"""The scale generator opens the same clocks the services open: suggestions brought to every state through the
real services, their open deadlines rebuilt by the generator from the stored rows, and the two sets compared."""

import pytest
from django.db import connection

from congress.models import Deadline, PolicyValue
from seeding.scale import suggestions as generator
from suggestions import services, workflow
from suggestions.models import Assignment
from tests import factories as core
from tests.deputies.factories import current_term
from tests.suggestions import factories

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the generator writes with COPY")

FIELDS = ["content_type_id", "object_id", "kind", "congress_id", "responsible_org_id", "responsible_user_id",
          "start_date", "period_value", "period_unit", "due_date", "provisional"]  # fmt: skip


def open_clocks() -> set[tuple]:
    return set(Deadline.objects.open().filter(kind__in=list(workflow.CLOCKS)).values_list(*FIELDS))


@pytest.fixture
def every_state(db):
    """A congress whose suggestions stand in every state that keeps a clock open."""
    congress = core.CongressFactory()
    current_term(congress)
    PolicyValue.objects.create(congress=congress, key="suggestion.reply_period", value=2)  # an override is read too
    staff, mandate = core.staff_of(congress), factories.deputy(congress)
    (lead, lead_officer), (co, _co_officer) = (
        factories.unit_with_officer(congress),
        factories.unit_with_officer(congress),
    )

    def assigned(with_co=False):
        suggestion = factories.assigned(mandate, staff, lead, co=[co] if with_co else [])
        return Assignment.objects.get(suggestion=suggestion, unit=lead)

    factories.accepted(mandate, staff)  # waits for assignment between sessions
    assigned(with_co=True)  # a lead and a co-handler, neither has confirmed receipt
    received = assigned()
    services.confirm_receipt(actor=lead_officer, assignment_id=received.pk)
    asking = assigned()
    services.request_reassignment(actor=lead_officer, assignment_id=asking.pk, reason="非本单位职责")
    extended = assigned()
    services.confirm_receipt(actor=lead_officer, assignment_id=extended.pk)
    request = services.request_extension(actor=lead_officer, assignment_id=extended.pk, months=1, reason="需协调")
    services.decide_extension(actor=staff, request_id=request.pk, approve=True)
    factories.reply_to(assigned(), lead_officer)  # waits for feedback and publication
    answer = factories.reply_to(assigned(), lead_officer)
    services.give_feedback(actor=mandate.person.user, suggestion_id=answer.assignment.suggestion_id,
                           reply_id=answer.pk, on_result="dissatisfied", on_attitude="dissatisfied",
                           comment="未解决")  # fmt: skip
    return congress


def test_the_generator_opens_the_clocks_the_services_opened(every_state):
    opened_by_services = open_clocks()
    assert {row[2] for row in opened_by_services} == set(workflow.CLOCKS)  # every kind is in the picture

    generator.open_deadlines(every_state.region.code)

    assert open_clocks() == opened_by_services
