"""The compiled output of the long lists (congress/api/fastread.py) is DRF's own output, value for value."""

import pytest

from congress.api.fastread import CompiledRead
from suggestions import services
from tests import factories
from tests.deputies.factories import current_term
from tests.suggestions import factories as f

pytestmark = pytest.mark.django_db


def _drf_only(self, instance):
    return super(CompiledRead, self).to_representation(instance)


@pytest.mark.parametrize("url", ["/api/v1/suggestions/", "/api/v1/assignments/", "/api/v1/deputies/"])
def test_compiled_lists_equal_drf_lists(api_client, monkeypatch, url):
    congress = factories.CongressFactory()
    current_term(congress)
    staff = factories.staff_of(congress)
    unit, officer = f.unit_with_officer(congress)
    suggestion = f.assigned(f.deputy(congress), staff, unit, co=[f.unit_with_officer(congress)[0]])
    f.reply_to(suggestion.assignments.get(unit=unit), officer, result="B")
    lead, cosigner = f.deputy(congress), f.deputy(congress)
    cosigned = services.create_draft(
        actor=lead.person.user, mandate_id=lead.pk, cosigner_ids=[cosigner.pk],
        fields={"title": "联名建议", "content": f.CONTENT, "category": f.CategoryFactory(congress=congress)},
    )  # fmt: skip
    services.submit(actor=lead.person.user, suggestion_id=cosigned.pk)
    api_client.force_authenticate(staff)

    compiled = api_client.get(url).json()
    monkeypatch.setattr(CompiledRead, "to_representation", _drf_only)
    plain = api_client.get(url).json()
    assert compiled["results"]
    assert compiled == plain
