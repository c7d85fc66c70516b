"""Rule values of suggestion handling read from the congress's policies: the amber traffic light, the longest
extension the form offers, and key supervision's yearly target (a target, not a limit)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from congress import services as core_services
from congress.workdays import Calendar
from suggestions import forms, services
from suggestions.models import Assignment, KeySupervision

from . import factories as f

pytestmark = pytest.mark.django_db


def day_before(due, workdays):
    """The date from which `due` is exactly that many working days away."""
    calendar, day = Calendar.load(), due
    while calendar.workdays_between(day, due) < workdays:
        day -= timedelta(days=1)
    return day


def portal_light(client, officer, on):
    with time_machine.travel(f"{on.isoformat()} 10:00 +0800", tick=False):
        client.force_login(officer)
        return client.get(reverse("suggestions:unit")).context["page"][0].light


def test_light_turns_amber_seven_working_days_before_the_reply_is_due(client, mandate, staff, lead_unit):
    f.assigned(mandate, staff, lead_unit[0])
    due = Assignment.objects.get().reply_due
    assert portal_light(client, lead_unit[1], day_before(due, 8)) == "green"
    assert portal_light(client, lead_unit[1], day_before(due, 7)) == "amber"


def test_amber_period_follows_the_congress_policy(client, congress, mandate, staff, lead_unit):
    f.assigned(mandate, staff, lead_unit[0])
    core_services.set_policy(actor=staff, congress=congress, key="suggestion.amber_period", value=10)
    due = Assignment.objects.get().reply_due
    assert portal_light(client, lead_unit[1], day_before(due, 10)) == "amber"
    assert portal_light(client, lead_unit[1], day_before(due, 11)) == "green"


def test_extension_form_offers_what_the_six_month_rule_leaves_after_three(mandate, staff, lead_unit):
    f.assigned(mandate, staff, lead_unit[0])
    assignment = Assignment.objects.get()
    # The reply is due 3 months after assignment and at most 6 months after it: 3 more months at most.
    assert services.extension_room(assignment) == 3
    form = forms.ExtensionForm({"months": 4, "reason": "调研"}, room=services.extension_room(assignment))
    assert not form.is_valid() and "months" in form.errors
    assert forms.ExtensionForm({"months": 3, "reason": "调研"}, room=3).is_valid()


def test_extension_room_follows_the_longest_reply_period(congress, mandate, staff, lead_unit):
    f.assigned(mandate, staff, lead_unit[0])
    core_services.set_policy(actor=staff, congress=congress, key="suggestion.reply_max_period", value=4)
    assert services.extension_room(Assignment.objects.get()) == 1


def test_key_items_beyond_the_yearly_target_are_allowed_and_the_target_is_shown(client, congress, staff):
    core_services.set_policy(actor=staff, congress=congress, key="supervision.key_items_per_year", value=2)
    leader = staff
    for n in range(3):
        services.save_key_item(actor=staff, item=KeySupervision(congress=congress, year=2026, title=f"督办{n}",
                                                                  leader=leader))  # fmt: skip
    assert KeySupervision.objects.count() == 3
    client.force_login(staff)
    with time_machine.travel("2026-05-01 10:00 +0800", tick=False):
        [row] = client.get(reverse("suggestions:supervision")).context["targets"]
    assert (row["items"], row["target"]) == (3, 2)


def test_government_led_items_are_counted_against_at_least_one_a_year(client, congress, staff):
    services.save_key_item(actor=staff, item=KeySupervision(congress=congress, year=2026, title="督办一",
                                                              leader=staff))  # fmt: skip
    client.force_login(staff)
    with time_machine.travel("2026-05-01 10:00 +0800", tick=False):
        [row] = client.get(reverse("suggestions:supervision")).context["targets"]
    assert (row["government_led"], row["government_target"], row["government_behind"]) == (0, 1, True)
    led = KeySupervision(congress=congress, year=2026, title="督办二", leader=staff, government_leader="副市长 张明")
    services.save_key_item(actor=staff, item=led)
    with time_machine.travel("2026-05-01 10:00 +0800", tick=False):
        [row] = client.get(reverse("suggestions:supervision")).context["targets"]
    assert (row["government_led"], row["government_behind"]) == (1, False)


def test_government_leader_is_recorded_through_the_api(api_client, congress, staff):
    api_client.force_authenticate(staff)
    response = api_client.post("/api/v1/key-supervisions/", {
        "congress": congress.pk, "year": 2026, "title": "督办三", "leader": staff.pk,
        "government_leader": "副省长 李华",
    }, format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    assert KeySupervision.objects.get().government_leader == "副省长 李华"
