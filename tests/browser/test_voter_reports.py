"""A report to voters (述职) as staff record it on the meeting's page: the deputy chosen among those who accepted,
the report's text and the voters' appraisal as counted; a count that does not add up is refused with what was
typed kept; the coverage page then counts the deputy as reported."""

import pytest
from django.urls import reverse

from activities import services
from activities.models import ActivityKind, VoterReport
from tests import factories as core
from tests.activities import factories as f
from tests.deputies.factories import current_term

from .conftest import log_in, press
from .test_forms_activities import activity_now

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.form_view("activities:voter_report")
def test_staff_record_a_deputys_report_to_voters_and_the_appraisal(live_server, desk):
    congress = core.CongressFactory(region=core.province("62", "甘肃省"))
    current_term(congress)
    staff = core.staff_of(congress)
    meeting = activity_now(staff, congress, title="东乡族自治县代表述职会",
                           kind=ActivityKind.objects.get(pk="report_to_voters"), capacity=3)  # fmt: skip
    speaker, absent = f.deputy(congress, name="马秀英"), f.deputy(congress, name="何建平")
    f.invite_and_accept(staff, meeting, speaker)
    services.start(actor=staff, activity_id=meeting.pk)

    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("activities:activity", args=[meeting.pk]))
    section = desk.locator("#voter-reports")
    section.get_by_label("代表", exact=True).select_option(label="马秀英")
    section.get_by_label("述职报告").fill("一年来，我围绕乡村振兴提出建议3件，进站接待选民12次。")
    section.get_by_label("到会选民").fill("40")
    section.get_by_label("满意", exact=True).fill("35")
    section.get_by_label("基本满意").fill("6")
    press(desk, section.get_by_role("button", name="记录述职"))
    # 35 + 6 appraisals from 40 voters: refused, the text kept
    assert "测评票数多于到会选民人数" in desk.locator("main").inner_text()
    section = desk.locator("#voter-reports")
    assert section.get_by_label("述职报告").input_value().startswith("一年来")
    section.get_by_label("基本满意").fill("4")
    section.get_by_label("不满意").fill("1")
    press(desk, section.get_by_role("button", name="记录述职"))
    assert "马秀英的述职已记录" in desk.locator("main").inner_text()
    report = VoterReport.objects.get()
    assert (report.voters, report.satisfied, report.basically_satisfied, report.dissatisfied) == (40, 35, 4, 1)
    assert "97.5%" in desk.locator("#voter-reports").inner_text()  # (35 + 4) / 40

    desk.goto(live_server.url + reverse("activities:report_coverage"))
    body = desk.locator("main").inner_text()
    assert "何建平" in body and "马秀英" not in body
    assert absent.person.name == "何建平"
