"""seed_demo gives every suggestion page something to show, and can run again without adding twice."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from congress.models import Deadline
from suggestions import selectors
from suggestions.models import (
    Assignment,
    Category,
    ContactLog,
    CoSigner,
    ExtensionRequest,
    Feedback,
    KeySupervision,
    Kind,
    ReassignmentRequest,
    Reply,
    Status,
    Suggestion,
    SupervisionNote,
    UnitRole,
)

pytestmark = pytest.mark.django_db

MODELS = [Category, Suggestion, CoSigner, Assignment, ReassignmentRequest, ContactLog, Reply, Feedback,
          ExtensionRequest, KeySupervision, SupervisionNote]  # fmt: skip


def seed_demo():
    call_command("seed_demo", "--allow-without-debug", stdout=io.StringIO())


def test_demo_has_suggestions_in_every_state_and_of_both_kinds():
    seed_demo()
    assert set(Suggestion.objects.values_list("status", flat=True)) == set(Status.values)
    assert set(Suggestion.objects.values_list("kind", flat=True)) == set(Kind.values)
    motion = Suggestion.objects.filter(kind=Kind.MOTION, delegation__isnull=True).get()
    assert motion.cosigners.filter(status="confirmed").count() == 9
    assert Suggestion.objects.filter(converted_from_motion=True).exists()


def test_demo_covers_handling_feedback_and_supervision():
    seed_demo()
    assert Suggestion.objects.filter(merged_into__isnull=False).count() == 1
    separate = Assignment.objects.filter(role=UnitRole.SEPARATE).values("suggestion").annotate(n=Count("id"))
    assert [row["n"] for row in separate] == [2]
    assert ReassignmentRequest.objects.filter(status="pending").count() == 1
    assert ReassignmentRequest.objects.filter(status="approved").count() == 1
    assert ExtensionRequest.objects.filter(status="pending").count() == 1
    assert ContactLog.objects.filter(mode="face_to_face").exists()
    assert set(Reply.objects.values_list("result", flat=True)) == {"A", "B", "C", "D"}
    assert set(Feedback.objects.values_list("on_result", flat=True)) == {"satisfied", "basically_satisfied",
                                                                          "dissatisfied", "no_response"}  # fmt: skip
    assert Feedback.objects.filter(deemed=True).exists()
    published = Suggestion.objects.filter(published_at__isnull=False)
    assert published.count() >= 2
    assert Reply.objects.filter(assignment__suggestion__in=published).exclude(public_text="").exists()
    assert Suggestion.objects.exclude(disclosure_objection="").filter(published_at__isnull=True).exists()
    assert KeySupervision.objects.count() == 2
    assert SupervisionNote.objects.filter(unit__isnull=False).count() == 2


def test_demo_has_overdue_work_with_consistent_deadlines():
    seed_demo()
    today = timezone.localdate()
    overdue = Assignment.objects.filter(selectors.overdue_q(today))
    assert overdue.count() >= 2
    for assignment in overdue:
        # The portal's copy of the due date is the open deadline's.
        deadline = Deadline.objects.open().get(object_id=assignment.pk, kind__in=["assignment.reply",
                                                                                  "assignment.rehandle"])  # fmt: skip
        assert deadline.due_date == assignment.reply_due < today
    assert Deadline.objects.open().filter(kind="suggestion.assign", due_date__lt=today).exists()
    assert not Assignment.objects.filter(assigned_on__gt=today).exists()
    assert not ContactLog.objects.filter(date__gt=today).exists()


def test_demo_runs_again_without_adding_twice():
    seed_demo()
    counts = {model: model.objects.count() for model in MODELS}
    seed_demo()
    assert {model: model.objects.count() for model in MODELS} == counts
    assert all(count >= 2 for count in counts.values()), counts
