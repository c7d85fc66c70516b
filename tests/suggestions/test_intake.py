"""Intake (代录): staff or the congress's system enter a deputy's suggestion; it is submitted in their name."""

import pytest

from congress import services as core_services
from congress.errors import Forbidden
from congress.models import Notification
from suggestions import services
from suggestions.models import Suggestion
from tests import factories

from . import factories as f

pytestmark = pytest.mark.django_db


def fields(congress, **extra):
    return {"title": "加强中小学课后服务", "content": f.CONTENT, "category": f.CategoryFactory(congress=congress),
            **extra}  # fmt: skip


def test_staff_intake_submits_in_the_deputys_name_and_tells_them(congress, staff, mandate,
                                                                  django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        suggestion = services.intake(actor=staff, mandate_id=mandate.pk, fields=fields(congress))
    suggestion.refresh_from_db()
    assert suggestion.status == "submitted" and suggestion.lead == mandate
    assert Notification.objects.filter(recipient=mandate.person.user, key__startswith="suggestion:entered").exists()


def test_staff_of_another_congress_cannot_intake(mandate):
    from tests import factories as core

    other = core.staff_of(core.CongressFactory(region=core.county("440305", "南山区")))
    with pytest.raises(Forbidden):
        services.intake(actor=other, mandate_id=mandate.pk, fields=fields(mandate.congress))


def test_batch_intake_through_the_api_reports_each_item(api_client, congress, mandate):
    _client, token = core_services.create_api_client(actor=None, name="市级平台", congress=congress,
                                                     scopes=["suggestions:read", "suggestions:write"],
                                                     owner=factories.UserFactory())  # fmt: skip
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    category = f.CategoryFactory(congress=congress)
    good = {"mandate": mandate.pk, "title": "加强课后服务", "content": f.CONTENT, "category": category.pk}
    response = api_client.post("/api/v1/suggestions/batch/", {"items": [good, {**good, "content": "太短"}]},
                               format="json")  # fmt: skip
    body = response.json()
    assert response.status_code == 200 and (body["created"], body["failed"]) == (1, 1)
    assert "content" in body["results"][1]["error"]["fields"]
    assert Suggestion.objects.get().status == "submitted"


def test_client_without_write_scope_cannot_intake(api_client, congress, mandate):
    _client, token = core_services.create_api_client(actor=None, name="只读平台", congress=congress,
                                                     scopes=["suggestions:read"],
                                                     owner=factories.UserFactory())  # fmt: skip
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = api_client.post("/api/v1/suggestions/intake/", {"mandate": mandate.pk}, format="json")
    assert response.status_code == 403
