"""The suggestions console: scoped lists, read-only workflow records, categories and key items saved through the
services."""

import pytest

from suggestions.models import Category, KeySupervision
from tests import factories as core

from . import factories as f

pytestmark = pytest.mark.django_db

CONSOLE = "/console/suggestions"


@pytest.fixture
def other_congress(db):
    from tests.deputies.factories import current_term

    congress = core.CongressFactory(region=core.province("45", "广西壮族自治区"))
    current_term(congress)
    return congress


def test_suggestion_list_shows_only_the_staffs_region(client, mandate, staff, other_congress):
    own = f.submitted(mandate, title="本省的建议")
    f.submitted(f.deputy(other_congress), title="外省的建议")
    client.force_login(staff)
    body = client.get(f"{CONSOLE}/suggestion/").content.decode()
    assert own.title in body
    assert "外省的建议" not in body


def test_suggestion_list_links_to_the_detail_page(client, mandate, staff):
    suggestion = f.submitted(mandate)
    client.force_login(staff)
    assert f'href="/suggestions/{suggestion.pk}/"' in client.get(f"{CONSOLE}/suggestion/").content.decode()


def test_suggestions_cannot_be_added_in_the_console(client, staff):
    client.force_login(staff)
    assert client.get(f"{CONSOLE}/suggestion/add/").status_code == 403


def test_suggestion_change_page_is_read_only(client, mandate, staff):
    suggestion = f.submitted(mandate)
    client.force_login(staff)
    url = f"{CONSOLE}/suggestion/{suggestion.pk}/change/"
    assert client.get(url).status_code == 200
    client.post(url, {"title": "改过的标题"})
    suggestion.refresh_from_db()
    assert suggestion.title != "改过的标题"


def test_another_congresss_suggestion_is_not_reachable(client, staff, other_congress):
    suggestion = f.submitted(f.deputy(other_congress))
    client.force_login(staff)
    response = client.get(f"{CONSOLE}/suggestion/{suggestion.pk}/change/")
    assert response.status_code == 302  # the admin sends a missing object back to the index


def test_assignment_list_filters_by_unit(client, congress, staff, lead_unit, co_unit):
    first = f.assigned(f.deputy(congress), staff, lead_unit[0], title="教育厅的建议")
    f.assigned(f.deputy(congress), staff, co_unit[0], title="财政厅的建议")
    client.force_login(staff)
    body = client.get(f"{CONSOLE}/assignment/", {"unit": lead_unit[0].pk}).content.decode()
    assert first.title in body
    assert "财政厅的建议" not in body


def test_staff_add_a_category_to_their_congress(client, congress, staff):
    client.force_login(staff)
    response = client.post(f"{CONSOLE}/category/add/", {"congress": congress.pk, "name": "交通", "position": 1,
                                                       "is_active": "on"})  # fmt: skip
    assert response.status_code == 302
    assert Category.objects.get().name == "交通"


def test_staff_cannot_add_a_category_to_another_congress(client, staff, other_congress):
    client.force_login(staff)
    response = client.post(f"{CONSOLE}/category/add/", {"congress": other_congress.pk, "name": "交通",
                                                       "position": 1})  # fmt: skip
    assert response.status_code == 200  # the congress is not among the choices: a form error
    assert not Category.objects.exists()


def test_staff_add_a_key_item_with_suggestions(client, congress, mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    client.force_login(staff)
    response = client.post(f"{CONSOLE}/keysupervision/add/", {
        "congress": congress.pk, "year": 2025, "title": "课后服务", "leader": staff.pk, "plan": "",
        "suggestions": [suggestion.pk],
    })  # fmt: skip
    assert response.status_code == 302
    item = KeySupervision.objects.get()
    assert list(item.suggestions.all()) == [suggestion]


def test_key_item_change_page_offers_the_suggestions_to_search(client, congress, staff):
    from suggestions import services

    item = KeySupervision(congress=congress, year=2025, title="养老", leader=staff)
    services.save_key_item(actor=staff, item=item)
    client.force_login(staff)
    body = client.get(f"{CONSOLE}/keysupervision/{item.pk}/change/").content.decode()
    assert "admin-autocomplete" in body


def test_a_unit_officer_cannot_open_the_console(client, lead_unit):
    client.force_login(lead_unit[1])
    response = client.get(f"{CONSOLE}/suggestion/")
    assert response.status_code == 302
    assert "/console/login/" in response["Location"]


@pytest.mark.parametrize("model_name", ["category", "suggestion", "assignment", "keysupervision"])
def test_changelist_opens_for_an_administrator(client, mandate, staff, model_name):
    f.submitted(mandate)
    client.force_login(core.UserFactory(is_superuser=True, is_staff=True))
    assert client.get(f"{CONSOLE}/{model_name}/").status_code == 200


# Filters staff think in: a unit, overdue


def _yesterday():
    from datetime import timedelta

    from django.utils import timezone

    return timezone.localdate() - timedelta(days=1)


def test_suggestion_list_filters_overdue(client, mandate, staff, lead_unit):
    from suggestions.models import Assignment

    late = f.assigned(mandate, staff, lead_unit[0], title="逾期未答复的建议")
    f.assigned(mandate, staff, lead_unit[0], title="按期办理的建议")
    Assignment.objects.filter(suggestion=late).update(reply_due=_yesterday())
    client.force_login(staff)
    body = client.get(f"{CONSOLE}/suggestion/?overdue=yes").content.decode()
    assert "逾期未答复的建议" in body
    assert "按期办理的建议" not in body


def test_suggestion_list_filters_by_handling_unit(client, mandate, staff, lead_unit, co_unit):
    f.assigned(mandate, staff, lead_unit[0], title="教育厅办理的建议")
    f.assigned(mandate, staff, co_unit[0], title="财政厅办理的建议")
    client.force_login(staff)
    body = client.get(f"{CONSOLE}/suggestion/?unit={lead_unit[0].pk}").content.decode()
    assert "教育厅办理的建议" in body
    assert "财政厅办理的建议" not in body


def test_assignment_list_filters_overdue(client, mandate, staff, lead_unit, co_unit):
    from suggestions.models import Assignment

    late = f.assigned(mandate, staff, lead_unit[0])
    f.assigned(mandate, staff, co_unit[0])
    Assignment.objects.filter(suggestion=late).update(reply_due=_yesterday())
    client.force_login(staff)
    response = client.get(f"{CONSOLE}/assignment/?overdue=yes")
    assert [a.unit for a in response.context["cl"].result_list] == [lead_unit[0]]


def test_suggestion_list_is_searched_by_lead_deputy(client, mandate, staff):
    f.submitted(mandate, title="按代表姓名找到的建议")
    client.force_login(staff)
    body = client.get(f"{CONSOLE}/suggestion/", {"q": mandate.person.name}).content.decode()
    assert "按代表姓名找到的建议" in body


# Bulk actions: assign (in the background, with progress) and remind


def _act(client, model, action, ids, **extra):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    return client.post(f"{CONSOLE}/{model}/", {"action": action, "index": 0, ACTION_CHECKBOX_NAME: ids, **extra})


def test_assign_action_asks_for_the_units(client, mandate, staff, lead_unit):
    suggestion = f.accepted(mandate, staff)
    client.force_login(staff)
    response = _act(client, "suggestion", "assign_selected", [suggestion.pk])
    assert response.templates[0].name == "admin/suggestions/assign.html"
    assert lead_unit[0] in response.context["form"].fields["lead"].queryset


def test_assign_action_assigns_the_selection_in_a_background_job(
    client, mandate, staff, lead_unit, django_capture_on_commit_callbacks
):
    suggestion = f.accepted(mandate, staff)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = _act(client, "suggestion", "assign_selected", [suggestion.pk], lead=lead_unit[0].pk)
    suggestion.refresh_from_db()
    assert suggestion.status == "assigned"
    assert "/console/congress/consolejob/" in response.url


def test_assign_job_reports_what_it_could_not_assign(
    client, mandate, staff, lead_unit, django_capture_on_commit_callbacks
):
    from congress.models import ConsoleJob

    waiting = f.submitted(mandate, title="尚未受理的建议")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        _act(client, "suggestion", "assign_selected", [waiting.pk], lead=lead_unit[0].pk)
    job = ConsoleJob.objects.get()
    assert (job.status, job.processed) == ("done", 1)
    assert str(waiting.pk) in job.message or (waiting.number_label or "") in job.message
    assert job.message.count("\n") == 1  # the count, then one line per suggestion not assigned


def test_assign_action_refuses_a_lead_that_also_co_handles(client, mandate, staff, lead_unit):
    suggestion = f.accepted(mandate, staff)
    client.force_login(staff)
    unit = lead_unit[0].pk
    response = _act(client, "suggestion", "assign_selected", [suggestion.pk], lead=unit, co_units=[unit])
    assert response.context["form"].errors["co_units"]


def test_remind_action_tells_the_units_officers(client, mandate, staff, lead_unit):
    from congress.models import Notification

    suggestion = f.assigned(mandate, staff, lead_unit[0])
    client.force_login(staff)
    _act(client, "suggestion", "remind_selected", [suggestion.pk])
    assert Notification.objects.filter(recipient=lead_unit[1], key__contains=":asked:").exists()


def test_remind_action_on_assignments_tells_their_units_officers(client, mandate, staff, lead_unit):
    from congress.models import Notification

    suggestion = f.assigned(mandate, staff, lead_unit[0])
    client.force_login(staff)
    _act(client, "assignment", "remind_selected", list(suggestion.assignments.values_list("pk", flat=True)))
    assert Notification.objects.filter(recipient=lead_unit[1], key__contains=":asked:").exists()


def test_remind_refuses_another_congresss_suggestions(staff, other_congress):
    from congress.errors import Forbidden
    from suggestions import services

    suggestion = f.submitted(f.deputy(other_congress))
    with pytest.raises(Forbidden):
        services.remind(actor=staff, suggestion_ids=[suggestion.pk])


def test_export_action_opens_the_progress_page(
    client, mandate, staff, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    suggestion = f.submitted(mandate)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = _act(client, "suggestion", "export_selected", [suggestion.pk])
    assert client.get(response.url).status_code == 200
