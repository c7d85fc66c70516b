"""Every console record shows its history: recent audit entries under the form, and a History page that opens."""

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.urls import reverse

from congress import audit
from congress.admin_history import AuditHistoryMixin
from tests import factories

pytestmark = pytest.mark.django_db

OUR_APPS = {"congress", "deputies", "liaison_stations", "suggestions", "training", "activities", "cases"}


@pytest.fixture
def superuser_client(client):
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    return client


def test_every_admin_of_our_apps_shows_the_audit_history():
    plain = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in OUR_APPS and not isinstance(model_admin, AuditHistoryMixin)
    ]
    assert plain == []


def test_every_change_page_over_the_demo_data_links_a_history_page_that_opens(superuser_client):
    from django.core.management import call_command

    call_command("seed_demo", "--allow-without-debug", verbosity=0)
    failures, walked = [], 0
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        change = superuser_client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        if change.status_code != 200:
            failures.append((model._meta.label, "change", change.status_code))
            continue
        name = "auditlog" if isinstance(model_admin, AuditHistoryMixin) else "history"
        history_url = reverse(f"admin:{info[0]}_{info[1]}_{name}", args=[quote(obj.pk)])
        if f'href="{history_url}' not in change.content.decode():
            failures.append((model._meta.label, "no link", history_url))
        status = superuser_client.get(history_url).status_code
        if status != 200:
            failures.append((model._meta.label, "history", status))
        walked += 1
    assert failures == []
    assert walked >= 40


def test_history_button_opens_the_audit_log(superuser_client):
    region = factories.county()
    response = superuser_client.get(reverse("admin:congress_region_history", args=[region.pk]))
    assert response.templates[0].name == "auditlog/object_history.html"


def test_change_page_shows_the_latest_audit_entries(superuser_client):
    actor = factories.UserFactory(name="审计人")
    congress = factories.CongressFactory()
    audit.record(actor, congress, "rename", {"name": ("旧名", "新名")})
    response = superuser_client.get(reverse("admin:congress_congress_change", args=[congress.pk]))
    assert response.context["audit_entries"][0].additional_data["action"] == "rename"
    assert "新名" in response.content.decode()


def test_change_page_shows_at_most_five_entries(superuser_client):
    congress = factories.CongressFactory()
    for number in range(7):
        audit.record(None, congress, f"step {number}")
    response = superuser_client.get(reverse("admin:congress_congress_change", args=[congress.pk]))
    assert [entry.additional_data["action"] for entry in response.context["audit_entries"]] == [
        "step 6", "step 5", "step 4", "step 3", "step 2",
    ]  # fmt: skip


def test_history_of_a_record_outside_the_scope_is_not_found(client):
    client.force_login(factories.staff_of(factories.CongressFactory(region=factories.county())))
    other = factories.CongressFactory(region=factories.county("440105", "海珠区"))
    assert client.get(reverse("admin:congress_congress_history", args=[other.pk])).status_code == 404


def test_a_history_entry_reads_as_words_not_python_values(superuser_client):
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    region = factories.county()
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(region),
        object_pk=str(region.pk),
        object_id=region.pk,
        object_repr=str(region),
        action=LogEntry.Action.UPDATE,
        changes={"name": ["None", "天河区"], "code": ["False", "True"]},
    )
    page = superuser_client.get(
        reverse("admin:congress_region_auditlog", args=[region.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    table = page[page.index("auditlog-entries") :]
    assert "<th>字段</th><th>原值</th><th>新值</th>" in table
    assert "（空）" in table and "天河区" in table
    assert "<td>是</td>" in table or "<td>否</td>" in table
    for english in (">Field<", ">From<", ">To<", ">None<", ">False<", ">True<", "开始时间", ".None<"):
        assert english not in table


def test_the_history_of_a_record_whose_code_has_an_underscore_opens(superuser_client):
    from deputies.models import DutyKind

    kind = DutyKind.objects.get(pk="group_activity")
    response = superuser_client.get(reverse("admin:deputies_dutykind_auditlog", args=[quote(kind.pk)]))
    assert response.status_code == 200
    assert response.context["object"] == kind
