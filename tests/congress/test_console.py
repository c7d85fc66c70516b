"""The staff console: a sidebar by work area that loses no model, area pages, and the dashboard as front page."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congress.console import AREAS, group_by_area
from tests import factories
from tests.deputies.factories import current_term
from tests.suggestions import factories as sf

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return factories.UserFactory(is_superuser=True, is_staff=True)


def _request(user):
    request = RequestFactory().get("/console/")
    request.user = user
    return request


def test_sidebar_groups_every_model_into_the_work_areas_in_order(superuser):
    request = _request(superuser)
    by_app = admin.AdminSite.get_app_list(admin.site, request)
    areas = admin.site.get_app_list(request)
    assert [a["app_label"] for a in areas] == [key for key, _name, _apps in AREAS]
    listed = sorted(m["admin_url"] for a in areas for m in a["models"])
    assert listed == sorted(m["admin_url"] for a in by_app for m in a["models"])


def test_each_app_lands_in_its_area(superuser):
    areas = {a["app_label"]: a for a in admin.site.get_app_list(_request(superuser))}
    assert all("/console/deputies/" in m["admin_url"] for m in areas["roster"]["models"])
    settings_apps = {m["admin_url"].split("/")[2] for m in areas["settings"]["models"]}
    assert {"congress", "auditlog", "django_celery_beat"} <= settings_apps


def test_an_area_without_models_for_the_user_is_left_out():
    app_list = [{"app_label": "training", "models": []}]
    assert group_by_area(app_list) == []


def test_area_page_lists_its_models(client, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:area", args=["suggestions"]))
    assert response.status_code == 200
    assert [a["app_label"] for a in response.context["app_list"]] == ["suggestions"]


def test_unknown_area_is_not_found(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:area", args=["nowhere"])).status_code == 404


def test_app_page_still_opens(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:app_list", args=["deputies"])).status_code == 200


def test_console_front_page_is_the_dashboard_of_the_staff_congress(client):
    congress = factories.CongressFactory()
    staff = factories.staff_of(congress)
    client.force_login(staff)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["dashboard"].congress == congress
    keys = [p.key for p in response.context["dashboard"].panels]
    assert keys == ["hot-topics", "station-visit-quota", "opinions-open-by-age", "suggestion-states",
                    "suggestion-on-time", "suggestion-overdue-units", "suggestion-satisfaction", "training-coverage",
                    "activities-held"]  # fmt: skip


def test_dashboard_pages_serve_the_chart_library_from_our_own_static_files(client):
    staff = factories.staff_of(factories.CongressFactory())
    client.force_login(staff)
    html = client.get(reverse("admin:index")).content.decode()
    assert "/static/vendor/chartjs/chart.umd.min.js" in html
    assert "cdn" not in html.lower()


def test_staff_of_two_congresses_choose_which_dashboard(client):
    province = factories.CongressFactory()
    county = factories.CongressFactory(region=factories.county())
    staff = factories.staff_of(province)
    staff.memberships.create(role="staff", congress=county)
    client.force_login(staff)
    assert client.get(reverse("admin:index"), {"congress": county.pk}).context["dashboard"].congress == county


def test_dashboard_of_another_congress_cannot_be_chosen(client):
    own = factories.CongressFactory(region=factories.county())
    other = factories.CongressFactory(region=factories.county("440104", "越秀区"))
    client.force_login(factories.staff_of(own))
    assert client.get(reverse("admin:index"), {"congress": other.pk}).context["dashboard"].congress == own


def test_console_user_without_a_staff_congress_is_told_why_there_is_no_dashboard(client):
    client.force_login(factories.UserFactory(is_staff=True))
    response = client.get(reverse("admin:index"))
    assert response.context["dashboard"] is None
    assert "不是某级人大的工作人员" in response.content.decode()  # pages speak Chinese by default


def test_dashboard_queries_do_not_grow_with_the_suggestions(client, django_assert_max_num_queries):
    congress = factories.CongressFactory()
    current_term(congress)
    staff = factories.staff_of(congress)
    mandate = sf.deputy(congress)
    unit, _officer = sf.unit_with_officer(congress)
    sf.assigned(mandate, staff, unit)
    client.force_login(staff)
    client.get(reverse("admin:index"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("admin:index"))
    for _ in range(5):
        sf.assigned(sf.deputy(congress), staff, sf.unit_with_officer(congress)[0])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("admin:index"))
