"""Staff assign a suggestion to the unit the system recommends: the recommendation shows above the assignment form
with its reasons, one click makes it the lead unit, and staff send the form themselves."""

import pytest
from django.urls import reverse

from suggestions import routing
from tests import factories as core
from tests.deputies.factories import current_term
from tests.suggestions import factories as f
from tests.suggestions.test_routing import ELEVATOR, NEW_ELEVATOR

from .conftest import log_in, press
from .test_suggestion_journey import panel

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.form_view("suggestions:act")
def test_staff_take_the_recommended_unit_as_lead_and_assign(live_server, desk):
    congress = core.CongressFactory()
    current_term(congress)
    staff = core.staff_of(congress)
    mandate = f.deputy(congress)
    building = f.CategoryFactory(congress=congress, name="城乡建设")
    housing = f.unit_with_officer(congress, "省住房和城乡建设厅")[0]
    f.unit_with_officer(congress, "省交通运输厅")
    for title, content in ELEVATOR:
        f.assigned(mandate, staff, housing, title=title, content=content, category=building)
    routing.rebuild(congress.pk)
    fresh = f.accepted(mandate, staff, title="老旧住宅加装电梯", content=NEW_ELEVATOR, category=building)

    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("suggestions:detail", args=[fresh.pk]))
    assign = panel(desk, "交办")
    recommended = assign.locator(".recommended-units > li").first
    assert "省住房和城乡建设厅" in recommended.inner_text()
    assert "电梯" in recommended.locator(".reasons").inner_text()
    recommended.get_by_role("button", name="设为主办单位").click()
    assert assign.get_by_label("主办单位", exact=True).input_value() == str(housing.pk)
    press(desk, assign.get_by_role("button", name="交办"))
    assert "已交办" in desk.locator(".messages").inner_text()
    assert fresh.assignments.get().unit == housing
