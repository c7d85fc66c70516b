"""A lead unit replies to a co-handled suggestion in a congress that makes it wait for the co-handlers: the reply
form shows the opinion still missing and refuses the reply in plain Chinese, then shows the opinion once sent and
takes the reply."""

import pytest
from django.urls import reverse

from congress.models import PolicyValue
from suggestions import services
from tests import factories as core
from tests.deputies.factories import current_term
from tests.suggestions import factories as f

from .conftest import log_in
from .test_suggestion_journey import panel, reply

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.form_view("suggestions:act_on_assignment")
def test_the_lead_unit_waits_for_the_co_handlers_opinion(live_server, desk):
    congress = core.CongressFactory()
    current_term(congress)
    PolicyValue.objects.create(congress=congress, key="suggestion.reply_before_co_opinions", value=0)
    staff, mandate = core.staff_of(congress), f.deputy(congress)
    lead, officer = f.unit_with_officer(congress, "省教育厅")
    co, co_officer = f.unit_with_officer(congress, "省财政厅")
    suggestion = f.assigned(mandate, staff, lead, co=[co])
    lead_part, co_part = suggestion.assignments.get(unit=lead), suggestion.assignments.get(unit=co)
    services.confirm_receipt(actor=officer, assignment_id=lead_part.pk)

    desk.on("dialog", lambda dialog: dialog.accept())
    log_in(desk, live_server, officer)
    detail = live_server.url + reverse("suggestions:detail", args=[suggestion.pk])
    desk.goto(detail)
    form = panel(desk, "答复代表")
    assert "省财政厅" in form.inner_text() and "尚未提出" in form.inner_text()
    form.locator("summary").click()  # closed again: the journey's reply() opens it
    reply(desk, "经研究，我厅将延长课后服务时间。")
    assert "会办单位省财政厅尚未提出会办意见，请在收到会办意见后再答复。" in desk.content()
    lead_part.refresh_from_db()
    assert lead_part.status == "received"

    services.confirm_receipt(actor=co_officer, assignment_id=co_part.pk)
    services.send_co_opinion(actor=co_officer, assignment_id=co_part.pk, opinion="财政将安排课后服务专项经费。")
    desk.goto(detail)
    form = panel(desk, "答复代表")
    assert "财政将安排课后服务专项经费。" in form.inner_text()
    form.locator("summary").click()
    reply(desk, "经研究，我厅将延长课后服务时间，财政安排专项经费。")
    lead_part.refresh_from_db()
    assert lead_part.status == "replied"
