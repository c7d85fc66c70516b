"""A citizen's opinion taken up by a deputy becomes a suggestion; its reply lets the station close the loop."""

import pytest

from congress.models import Notification
from liaison_stations import services as stations
from liaison_stations.models import OpinionStatus
from suggestions import services as suggestions
from suggestions.models import Status, Suggestion
from tests import factories as core
from tests.liaison_stations.factories import managed_station, stationed_deputy
from tests.suggestions.factories import CategoryFactory, pdf

pytestmark = pytest.mark.django_db


def test_opinion_becomes_a_suggestion_whose_reply_closes_the_loop(django_capture_on_commit_callbacks):
    station, manager = managed_station()
    mandate, deputy = stationed_deputy(station)
    staff = core.staff_of(station.congress)
    unit = core.OrganisationFactory(region=station.congress.region)
    officer = core.officer_of(unit)
    opinion = stations.submit_opinion(
        station=station,
        phone="13912345678",
        category="urban",
        content="村口公交站台没有遮雨棚，雨天老人和学生候车十分困难，希望尽快增设候车亭。",
    )
    with django_capture_on_commit_callbacks(execute=True):
        stations.triage(actor=manager, opinion_id=opinion.pk, route="to_suggestion", mandate_id=mandate.pk)
    draft = Suggestion.objects.get(opinion=opinion)
    assert (draft.lead, draft.status) == (mandate, Status.DRAFT)
    assert "13912345678" not in draft.content
    suggestions.save_draft(
        actor=deputy,
        suggestion_id=draft.pk,
        fields={"title": "关于增设公交候车亭的建议", "category": CategoryFactory(congress=station.congress)},
    )
    suggestions.submit(actor=deputy, suggestion_id=draft.pk)
    suggestions.accept(actor=staff, suggestion_id=draft.pk)
    suggestions.assign(actor=staff, suggestion_id=draft.pk, lead_id=unit.pk)
    assignment = draft.assignments.get()
    suggestions.confirm_receipt(actor=officer, assignment_id=assignment.pk)
    with django_capture_on_commit_callbacks(execute=True):
        suggestions.reply(actor=officer, assignment_id=assignment.pk, text="已列入明年候车亭建设计划。", result="B",
                          follow_up_plan="明年六月前建成", letter=pdf())  # fmt: skip
    assert Notification.objects.filter(recipient=manager, key__contains="suggestion_replied").exists()
    closed = stations.give_feedback(actor=manager, opinion_id=opinion.pk, feedback="已电话告知群众答复内容。")
    assert closed.status == OpinionStatus.CLOSED
