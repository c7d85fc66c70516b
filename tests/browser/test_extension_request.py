"""A handling unit asks for more time on a suggestion's page: the form offers no more months than the congress's
longest reply period leaves (6 months from assignment by default, the ordinary period 3, minus what was already
granted), a larger number sent anyway is refused in Chinese, and the request is stored with the months asked."""

import pytest
from django.urls import reverse

from suggestions import services
from suggestions.models import ExtensionRequest
from tests import factories as core
from tests.deputies.factories import current_term
from tests.suggestions import factories as f

from .conftest import log_in, press
from .test_suggestion_journey import panel

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.form_view("suggestions:act_on_assignment")
def test_the_unit_asks_for_no_more_months_than_the_longest_period_leaves(live_server, desk):
    congress = core.CongressFactory()
    current_term(congress)
    staff, mandate = core.staff_of(congress), f.deputy(congress)
    unit, officer = f.unit_with_officer(congress, "省教育厅")
    suggestion = f.assigned(mandate, staff, unit)
    assignment = suggestion.assignments.get()
    services.confirm_receipt(actor=officer, assignment_id=assignment.pk)
    # One month was already granted: 6 (longest) − 3 (ordinary) − 1 (granted) = 2 months are left.
    first = services.request_extension(actor=officer, assignment_id=assignment.pk, months=1, reason="需调研。")
    services.decide_extension(actor=staff, request_id=first.pk, approve=True)

    log_in(desk, live_server, officer)
    desk.goto(live_server.url + reverse("suggestions:detail", args=[suggestion.pk]))
    form = panel(desk, "申请延期答复")
    months = form.get_by_label("延期月数")
    assert months.get_attribute("max") == "2"

    # Three months, past what is left, sent as if the browser had not stopped it.
    months.evaluate("input => input.removeAttribute('max')")
    months.fill("3")
    form.get_by_label("原因").fill("需会同财政部门测算经费。")
    press(desk, form.get_by_role("button", name="提交申请"))
    assert not ExtensionRequest.objects.filter(months=3).exists()
    errors = desk.locator(".errorlist").first.inner_text()
    assert "2" in errors and any("\u4e00" <= ch <= "\u9fff" for ch in errors), errors

    form = panel(desk, "申请延期答复") if not desk.get_by_label("延期月数").is_visible() else desk
    form.get_by_label("延期月数").fill("2")
    form.get_by_label("原因").fill("需会同财政部门测算经费。")
    press(desk, form.get_by_role("button", name="提交申请"))
    request = assignment.extension_requests.get(status="pending")
    assert (request.months, request.reason, request.requested_by) == (2, "需会同财政部门测算经费。", officer)
