"""Co-handling units: a late opinion is overdue like a late reply, the lead unit's reply form shows the opinions,
and a congress may make the lead unit wait for them."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from congress.errors import RuleViolation
from congress.models import PolicyValue
from suggestions import selectors, services

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_co(mandate, staff, lead_unit, co_unit):
    """Assigned on Tuesday 10 March 2026: the co-handler's opinion is due a month later, Friday 10 April; the
    lead unit's reply three months later, 10 June."""
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        suggestion = f.assigned(mandate, staff, lead_unit[0], co=[co_unit[0]])
    return suggestion, suggestion.assignments.get(unit=lead_unit[0]), suggestion.assignments.get(unit=co_unit[0])


def test_a_co_handler_past_its_opinion_period_is_overdue(with_co, staff, co_unit):
    suggestion, _lead, co = with_co
    assert co.reply_due == date(2026, 4, 10)
    on_time = selectors.statistics(suggestion.congress, today=date(2026, 4, 10))
    assert on_time["totals"]["overdue"] == 0
    late = selectors.statistics(suggestion.congress, today=date(2026, 4, 13))
    [row] = [r for r in late["units"] if r["unit_id"] == co_unit[0].pk]
    assert row["overdue"] == 1
    assert [a.pk for a in late["overdue"]] == [co.pk]
    assert list(selectors.review_list(staff, overdue=True, today=date(2026, 4, 13))) == [suggestion]
    assert [a.pk for a in selectors.unit_portal(co_unit[1], overdue=True, today=date(2026, 4, 13))] == [co.pk]


def test_a_co_handler_that_sent_its_opinion_is_not_overdue(with_co, co_unit):
    suggestion, _lead, co = with_co
    services.confirm_receipt(actor=co_unit[1], assignment_id=co.pk)
    services.send_co_opinion(actor=co_unit[1], assignment_id=co.pk, opinion="同意主办单位意见")
    assert selectors.statistics(suggestion.congress, today=date(2026, 4, 13))["totals"]["overdue"] == 0


def test_the_lead_units_reply_form_shows_the_co_handlers_opinions(client, with_co, lead_unit, co_unit):
    suggestion, lead, co = with_co
    services.confirm_receipt(actor=co_unit[1], assignment_id=co.pk)
    services.send_co_opinion(actor=co_unit[1], assignment_id=co.pk, opinion="建议同步增加课后服务经费")
    services.confirm_receipt(actor=lead_unit[1], assignment_id=lead.pk)
    client.force_login(lead_unit[1])
    response = client.get(reverse("suggestions:detail", args=[suggestion.pk]))
    [panel] = [p for a in response.context["assignments"] for p in a.panels if p.key == f"reply-{lead.pk}"]
    assert [(a.unit, a.co_opinion) for a in panel.co_opinions] == [(co_unit[0], "建议同步增加课后服务经费")]
    body = response.content.decode()
    form = body[body.index(f'action="{panel.url}"') - 2000 : body.index(f'action="{panel.url}"')]
    assert "建议同步增加课后服务经费" in form


def test_where_the_policy_says_so_the_lead_unit_waits_for_the_opinions(congress, with_co, lead_unit, co_unit):
    PolicyValue.objects.create(congress=congress, key="suggestion.reply_before_co_opinions", value=0)
    _suggestion, lead, co = with_co
    with translation.override("zh-hans"), pytest.raises(RuleViolation) as error:
        f.reply_to(lead, lead_unit[1])
    assert str(error.value.message) == f"会办单位{co_unit[0].name}尚未提出会办意见，请在收到会办意见后再答复。"
    services.confirm_receipt(actor=co_unit[1], assignment_id=co.pk)
    services.send_co_opinion(actor=co_unit[1], assignment_id=co.pk, opinion="同意")
    assert f.reply_to(lead, lead_unit[1]).round == 1


def test_by_default_the_lead_unit_may_reply_before_the_opinions(with_co, lead_unit):
    _suggestion, lead, _co = with_co
    assert f.reply_to(lead, lead_unit[1]).round == 1
