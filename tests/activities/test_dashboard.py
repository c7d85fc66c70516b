"""The activities panel of the staff dashboard, tested from the rule's own numbers: 3 activities held, 10 of the
congress's deputies accepted, 7 of them present at a sitting → 70%; 5 findings, 2 turned into suggestions and 1
referred. Planned activities, other congresses' activities and a partner's deputies are not counted."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities import dashboard as activity_dashboard
from activities import services
from activities.models import ActivityKind
from congress import dashboard
from tests import factories as core

from . import factories as f

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 10)


def _panel(user):
    return next(p for p in dashboard.build(user, today=TODAY).panels if p.key == "activities-held")


def _hold(staff, congress, deputies, present, *, findings=(), kind="inspection", partner_deputy=None,
          partner_staff=None, co_congresses=()):  # fmt: skip
    """An activity the deputies accepted, the first `present` of them present at its sitting, then under way."""
    activity = f.activity(staff, congress, capacity=len(deputies) + 1, kind=ActivityKind.objects.get(pk=kind),
                          co_congresses=co_congresses)  # fmt: skip
    invitations = [f.invite_and_accept(staff, activity, m) for m in deputies]
    marks = {i.pk: "present" if n < present else "absent" for n, i in enumerate(invitations)}
    if partner_deputy is not None:
        theirs = services.invite(actor=partner_staff, activity_id=activity.pk, mandate_ids=[partner_deputy.pk])
        services.accept(actor=partner_deputy.person.user, invitation_id=theirs.invited[0].pk)
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        services.record_attendance(actor=staff, sitting_id=activity.sittings.get().pk, marks=marks)
        services.start(actor=staff, activity_id=activity.pk)
        if findings:
            services.submit_report(actor=staff, activity_id=activity.pk, report="报告", findings=findings)
    return activity, deputies[0]


@pytest.fixture
def figures(staff, congress, may, partner):
    """3 held activities (4 + 3 + 3 accepted, 3 + 2 + 2 present), 5 findings: 2 drafted, 1 referred."""
    deputies = [f.deputy(congress) for _ in range(10)]
    partner_staff = core.staff_of(partner)
    first, lead = _hold(staff, congress, deputies[:4], 3, findings=["一", "二", "三"], co_congresses=[partner],
                        partner_deputy=f.deputy(partner), partner_staff=partner_staff)  # fmt: skip
    second, lead2 = _hold(staff, congress, deputies[4:7], 2, findings=["四", "五"])
    _hold(staff, congress, deputies[7:], 2, kind="research")
    services.finding_to_draft(actor=staff, finding_id=first.findings.get(number=1).pk, lead_id=lead.pk)
    services.finding_to_draft(actor=staff, finding_id=second.findings.get(number=1).pk, lead_id=lead2.pk)
    unit = core.OrganisationFactory(region=congress.region)
    services.finding_to_unit(actor=staff, finding_id=first.findings.get(number=2).pk, unit_id=unit.pk, workdays=5)
    # Not held: planned, with an accepted invitation; and another congress's own activity.
    planned = f.activity(staff, congress, capacity=2)
    f.invite_and_accept(staff, planned, f.deputy(congress))
    _hold(partner_staff, partner, [f.deputy(partner)], 1)
    return partner_staff


def test_the_panel_counts_held_participation_and_findings_from_the_rows(staff, figures):
    panel = _panel(staff)
    assert {row.label: row.values for row in panel.rows} == {
        "视察": [2, 7, 5, 5, 2, 1],
        "调研": [1, 3, 2, 0, 0, 0],
    }
    assert panel.summary == (
        "3 held this year; participation 70.0% (7 of 10 deputies who accepted attended); "
        "2 of 5 findings turned into suggestions, 1 referred to units"
    )
    assert panel.as_of is None  # counted live, as the page is built


def test_a_partner_sees_the_joint_activity_with_its_own_deputies_only(figures):
    panel = _panel(figures)
    # The partner's own activity (1 of 1 present) and the joint one (its 1 deputy, absent: not marked present).
    assert {row.label: row.values for row in panel.rows} == {"视察": [2, 2, 1, 3, 1, 1]}


def test_row_links_to_the_list_of_that_kind(client, staff, figures):
    row = next(r for r in _panel(staff).rows if r.label == "调研")
    client.force_login(staff)
    titles = [a.kind_id for a in client.get(row.url).context["page"]]
    assert titles == ["research"]


def test_nothing_held_yet_says_so(staff, congress):
    panel = _panel(staff)
    assert panel.rows == [] and panel.summary == ""
    assert panel.empty == "No activity of this congress was held this year yet."


def test_the_panels_queries_do_not_grow_with_the_activities(staff, congress, may):
    view = dashboard.View(user=staff, congress=congress, congresses=[congress], today=TODAY)
    _hold(staff, congress, [f.deputy(congress)], 1, findings=["一"])
    with CaptureQueriesContext(connection) as few:
        activity_dashboard.panels(view)
    for _ in range(3):
        _hold(staff, congress, [f.deputy(congress), f.deputy(congress)], 1, findings=["一", "二"], kind="research")
    with CaptureQueriesContext(connection) as many:
        activity_dashboard.panels(view)
    assert len(many.captured_queries) == len(few.captured_queries) == 4
