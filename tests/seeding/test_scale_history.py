"""seed_scale's suggestions make a history a recommendation can learn from and be tested on honestly: texts that
vary and keep their stored words, the issue's department as lead unit, re-assigned units released on an approved
request, and merged suggestions (并案) without units of their own (docs/intake-help.md)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from congress import text
from suggestions.models import Assignment, ReassignmentRequest, Suggestion

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the generator writes with COPY"),
]

ARGS = ["--province", "62", "--townships-per-county", "1", "--villages-per-township", "1", "--deputies", "300",
        "--stations", "0", "--opinions", "0", "--suggestions", "3000"]  # fmt: skip


@pytest.fixture
def history(db):
    call_command("seed_scale", *ARGS, stdout=io.StringIO())


def test_texts_vary_and_keep_their_words(history):
    rows = list(Suggestion.objects.values_list("title", "content", "terms"))
    assert len({title for title, _, _ in rows}) > 300
    assert len({content for _, content, _ in rows}) > 0.9 * len(rows)
    for title, content, terms in rows[:200]:
        assert terms == text.document(title, content)
    assert not Suggestion.objects.filter(terms__isnull=True).exists()


def test_released_units_were_replaced_on_an_approved_request(history):
    released = Assignment.objects.filter(status="released")
    assigned = Suggestion.objects.filter(assigned_on__isnull=False, merged_into__isnull=True).count()
    assert 0.03 * assigned < released.count() < 0.1 * assigned
    for assignment in released[:50]:
        request = ReassignmentRequest.objects.get(assignment=assignment)
        assert request.status == "approved" and assignment.ended_at
        live = Assignment.objects.filter(suggestion=assignment.suggestion, role="lead").exclude(status="released")
        assert live.get().unit_id == request.suggested_unit_id != assignment.unit_id


def test_merged_suggestions_follow_their_primary(history):
    members = Suggestion.objects.filter(merged_into__isnull=False).select_related("merged_into")
    assert members.exists()
    assert not Assignment.objects.filter(suggestion__merged_into__isnull=False).exists()
    sizes = members.values("merged_into").annotate(n=Count("id")).values_list("n", flat=True)
    assert max(sizes) <= 4  # staff merge a few at a time
    for member in members[:100]:
        primary = member.merged_into
        assert (member.congress_id, member.session_id) == (primary.congress_id, primary.session_id)
        assert member.lead_id != primary.lead_id and member.pk > primary.pk and primary.merged_into_id is None
        assert member.status == primary.status or not primary.assigned_on


def test_units_follow_the_issue_not_chance(history):
    leads = Assignment.objects.filter(role="lead").exclude(status="released")
    by_unit = leads.values("unit__name").annotate(n=Count("id")).order_by("-n")
    assert len(by_unit) > 20  # a fuller set of departments, townships' offices among them
    school_traffic = leads.filter(suggestion__title__contains="校园周边交通安全")
    if school_traffic.exists():  # filed under 教育, led by 公安局 (or a co-handler when staff swap)
        assert school_traffic.filter(unit__name__endswith="公安局").count() >= 0.6 * school_traffic.count() or (
            school_traffic.filter(suggestion__congress__level="township").exists()
        )
