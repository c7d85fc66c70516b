from datetime import date

import pytest

from congress.models import PolicyValue, Region, Term
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, tianhe):
    client.force_login(factories.staff_of(tianhe))
    return client


def test_console_lists_only_own_congress(staff_client, tianhe, nanshan):
    body = staff_client.get("/console/congress/congress/").content.decode()
    assert tianhe.name in body
    assert nanshan.name not in body


def test_other_county_record_is_not_reachable(staff_client, nanshan):
    response = staff_client.get(f"/console/congress/congress/{nanshan.pk}/change/")
    assert response.status_code == 302  # admin redirects a missing object to the index with a message
    assert nanshan.name not in staff_client.get(response.url).content.decode()


def test_console_speaks_chinese_by_default(staff_client):
    body = staff_client.get("/console/").content.decode()
    assert "人大代表工作平台" in body
    assert "站点管理" in body or "代表" in body


def test_wrong_division_code_is_form_error(staff_client):
    parent = Region.objects.get(code="440106")
    response = staff_client.post(
        "/console/congress/region/add/", {"code": "4401060", "name": "错误", "level": "township", "parent": parent.pk}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["code"]
    assert not Region.objects.filter(name="错误").exists()


def test_overlapping_term_is_form_error(staff_client, tianhe):
    factories.TermFactory(congress=tianhe, number=18, start_date=date(2021, 12, 1), end_date=date(2026, 11, 30))
    response = staff_client.post(
        "/console/congress/term/add/",
        {
            "congress": tianhe.pk,
            "number": 19,
            "start_date": "2026-06-01",
            "end_date": "2031-05-31",
            "sessions-TOTAL_FORMS": 0,
            "sessions-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert Term.objects.count() == 1


def test_negative_policy_is_form_error(staff_client, tianhe):
    response = staff_client.post(
        "/console/congress/policyvalue/add/", {"congress": tianhe.pk, "key": "suggestion.reply_period", "value": "-1"}
    )
    assert response.status_code == 200
    assert not PolicyValue.objects.exists()


def test_staff_saves_policy_and_it_is_audited(staff_client, tianhe):
    from auditlog.models import LogEntry

    response = staff_client.post(
        "/console/congress/policyvalue/add/", {"congress": tianhe.pk, "key": "suggestion.reply_period", "value": "2"}
    )
    assert response.status_code == 302
    entry = LogEntry.objects.get_for_object(PolicyValue.objects.get()).get()
    assert entry.actor.username.startswith("user")
    assert entry.remote_addr == "127.0.0.1"


def test_staff_cannot_add_term_to_other_congress(staff_client, nanshan):
    response = staff_client.post(
        "/console/congress/term/add/",
        {
            "congress": nanshan.pk,
            "number": 1,
            "start_date": "2031-01-01",
            "end_date": "2035-12-31",
            "sessions-TOTAL_FORMS": 0,
            "sessions-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert not Term.objects.exists()


def test_audit_history_page_shows_changes(staff_client, tianhe):
    staff_client.post(
        "/console/congress/policyvalue/add/", {"congress": tianhe.pk, "key": "suggestion.reply_period", "value": "2"}
    )
    row = PolicyValue.objects.get()
    response = staff_client.get(f"/console/congress/policyvalue/{row.pk}/auditlog/")
    assert response.status_code == 200
    assert "suggestion.reply_period" in response.content.decode()


def test_calendar_warning_in_console_from_october(staff_client):
    import time_machine

    with time_machine.travel("2026-10-02 10:00 +0800"):
        assert "2027" in staff_client.get("/console/").content.decode()


def test_region_without_parent_gets_a_readable_error(staff_client):
    response = staff_client.post(
        "/console/congress/region/add/", {"code": "440106005", "name": "x", "level": "township"}
    )
    errors = str(response.context["adminform"].form.errors)
    assert "region_parent_required_below_country" not in errors
