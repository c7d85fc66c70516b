"""The livelihood API of the year-end appraisal: staff (or the congress's client) open and close it, the department
reports its correction and staff close it, through the appraisal services with their errors; each project's counts
are served, never a deputy's rating; the closing is announced with the counts."""

from datetime import date

import pytest
import time_machine

from congress import services as core_services
from congress.models import WebhookDelivery, WebhookEndpoint
from livelihood import appraisal
from livelihood.models import Appraisal, AppraisalStatus, Programme, ProgrammeStatus
from tests.activities.factories import token

from . import factories as f

pytestmark = pytest.mark.django_db

core = f.core
URL = "/api/v1/livelihood/"
DAY = f.APPRAISE_FROM
# Within the appraisal window of the factories (December 2026).
CLOSING = "2026-12-15 10:00 +0800"
# Four deputies rate the three chosen projects: project 1 gets 3 不满意 of 4 (75 %, more than the default 50 %),
# project 2 gets 2 of 4 (exactly half, not more), project 3 is rated by nobody.
VERDICTS = [
    ("dissatisfied", "dissatisfied"),
    ("dissatisfied", "dissatisfied"),
    ("dissatisfied", "satisfied"),
    ("satisfied", "basically_satisfied"),
]


def ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def appraising(staff, congress):
    return f.appraising(staff, congress)


@pytest.fixture
def rated(appraising):
    prog, c, voters = appraising
    for mandate, (first, second) in zip(voters, VERDICTS, strict=True):
        appraisal.rate(actor=mandate.person.user, programme_id=prog.pk, today=DAY,
                       verdicts={c[0].pk: first, c[1].pk: second})  # fmt: skip
    return prog, c, voters


@pytest.fixture
def closed(rated, staff):
    prog, c, voters = rated
    appraisal.close_appraisal(actor=staff, programme_id=prog.pk, today=DAY)
    return prog, c, voters


@pytest.fixture
def correcting(closed):
    _prog, c, _voters = closed
    return Appraisal.objects.get(candidate=c[0]), c


def _hook(congress, *events):
    client, _token = core_services.create_api_client(actor=None, name="省平台", congress=congress,
                                                     scopes=["livelihood:read"], owner=core.UserFactory())  # fmt: skip
    WebhookEndpoint.objects.create(client=client, url="https://example.cn/hook", events=list(events), secret="s" * 32)


# Opening and closing


def test_staff_open_the_appraisal_for_the_planned_dates(as_user, staff, congress):
    prog, _c, _voters = f.published(staff, congress)
    # As planned with the programme (the factories plan none).
    Programme.objects.filter(pk=prog.pk).update(appraise_from=date(2026, 12, 1), appraise_until=date(2026, 12, 25))
    response = as_user(staff).post(f"{URL}programmes/{prog.pk}/open-appraisal/", {}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["appraise_from"], body["appraise_until"]) == (
        "appraising", "2026-12-01", "2026-12-25")  # fmt: skip


def test_an_appraisal_neither_planned_nor_given_dates_is_refused_on_the_field(as_user, staff, congress):
    prog, _c, _voters = f.published(staff, congress)
    assert prog.appraise_from is None
    response = as_user(staff).post(f"{URL}programmes/{prog.pk}/open-appraisal/", {}, format="json")
    assert response.status_code == 400
    assert "appraise_until" in response.json()["error"]["fields"]


def test_staff_open_the_appraisal_for_given_dates(as_user, staff, congress):
    prog, _c, _voters = f.published(staff, congress)
    body = {"appraise_from": "2026-12-10", "appraise_until": "2026-12-20"}
    response = as_user(staff).post(f"{URL}programmes/{prog.pk}/open-appraisal/", body, format="json")
    assert response.status_code == 200, response.json()
    prog.refresh_from_db()
    assert (prog.appraise_from.isoformat(), prog.appraise_until.isoformat()) == ("2026-12-10", "2026-12-20")


def test_an_appraisal_ending_before_it_starts_is_refused_on_the_field(as_user, staff, congress):
    prog, _c, _voters = f.published(staff, congress)
    body = {"appraise_from": "2026-12-20", "appraise_until": "2026-12-10"}
    response = as_user(staff).post(f"{URL}programmes/{prog.pk}/open-appraisal/", body, format="json")
    assert response.status_code == 400
    assert "appraise_until" in response.json()["error"]["fields"]
    assert Programme.objects.get(pk=prog.pk).status == ProgrammeStatus.PUBLISHED


def test_a_client_with_read_scope_cannot_open_the_appraisal(api_client, staff, congress):
    prog, _c, _voters = f.published(staff, congress)
    client = token(api_client, congress, "livelihood:read")
    assert client.post(f"{URL}programmes/{prog.pk}/open-appraisal/", {}, format="json").status_code == 403
    assert Programme.objects.get(pk=prog.pk).status == ProgrammeStatus.PUBLISHED


def test_the_congress_client_with_write_scope_closes_the_appraisal(api_client, congress, rated):
    prog, _c, _voters = rated
    client = token(api_client, congress, "livelihood:read", "livelihood:write")
    with time_machine.travel(CLOSING, tick=False):
        response = client.post(f"{URL}programmes/{prog.pk}/close-appraisal/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "appraised"
    assert Appraisal.objects.filter(candidate__programme=prog).count() == 3


def test_closing_an_appraisal_not_open_answers_409(as_user, staff, congress):
    prog, _c, _voters = f.published(staff, congress)
    assert as_user(staff).post(f"{URL}programmes/{prog.pk}/close-appraisal/").status_code == 409


def test_a_client_without_the_livelihood_scope_gets_403(api_client, congress, closed):
    client = token(api_client, congress, "activities:read")
    assert client.get(f"{URL}appraisals/").status_code == 403


# What is served: counts only


def test_each_project_counts_and_outcome(as_user, staff, closed):
    prog, c, _voters = closed
    rows = as_user(staff).get(f"{URL}appraisals/", {"programme": prog.pk}).json()["results"]
    found = {row["project"]: row for row in rows}
    counts = {pk: (row["satisfied"], row["basically_satisfied"], row["dissatisfied"], row["status"])
              for pk, row in found.items()}  # fmt: skip
    assert counts == {c[0].pk: (1, 0, 3, "correcting"), c[1].pk: (1, 1, 2, "passed"), c[2].pk: (0, 0, 0, "passed")}
    assert found[c[0].pk]["correct_by"] is not None and found[c[1].pk]["correct_by"] is None


def test_no_payload_tells_which_deputy_rated_what(as_user, staff, closed):
    prog, c, voters = closed
    client = as_user(staff)
    row = client.get(f"{URL}appraisals/", {"project": c[0].pk}).json()["results"][0]
    assert set(row) == {"id", "project", "programme", "satisfied", "basically_satisfied", "dissatisfied", "status",
                        "correct_by", "report", "reported_at", "closed_at", "closing_note"}  # fmt: skip
    for path in (f"{URL}appraisals/", f"{URL}programmes/{prog.pk}/", f"{URL}candidates/"):
        body = client.get(path).content.decode().replace(" ", "")
        assert '"mandate"' not in body and "verdict" not in body and "rating" not in body, path
    assert client.get(f"{URL}ratings/").status_code == 404


def test_an_integration_client_cannot_rate(api_client, congress, appraising):
    prog, c, _voters = appraising
    client = token(api_client, congress, "livelihood:read", "livelihood:write")
    response = client.post(f"{URL}programmes/{prog.pk}/rate/", {"verdicts": {c[0].pk: "satisfied"}}, format="json")
    assert response.status_code == 404


def test_another_county_reads_no_appraisal(api_client, as_user, congress, closed):
    other = core.CongressFactory(region=core.county("440104", "越秀区"))
    found = Appraisal.objects.first()
    client = token(api_client, other, "livelihood:read", "livelihood:write")
    assert ids(client.get(f"{URL}appraisals/")) == []
    assert client.get(f"{URL}appraisals/{found.pk}/").status_code == 404
    assert as_user(core.staff_of(other)).get(f"{URL}appraisals/{found.pk}/").status_code == 404


def test_the_department_reads_its_projects_appraisals_and_another_none(as_user, congress, correcting):
    found, c = correcting
    assert found.pk in ids(as_user(core.officer_of(c[0].department)).get(f"{URL}appraisals/"))
    other = f.department(congress, name="区交通运输局")
    assert ids(as_user(core.officer_of(other)).get(f"{URL}appraisals/")) == []


# The correction


def test_the_department_reports_its_correction(as_user, correcting):
    found, c = correcting
    response = as_user(core.officer_of(c[0].department)).post(
        f"{URL}appraisals/{found.pk}/report-correction/", {"report": "已增设路灯并修复路面"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["report"]) == ("reported", "已增设路灯并修复路面")
    assert Appraisal.objects.get(pk=found.pk).status == AppraisalStatus.REPORTED


def test_an_empty_correction_report_is_refused_on_the_field(as_user, correcting):
    found, c = correcting
    response = as_user(core.officer_of(c[0].department)).post(
        f"{URL}appraisals/{found.pk}/report-correction/", {"report": ""}, format="json"
    )
    assert response.status_code == 400
    assert "report" in response.json()["error"]["fields"]
    assert Appraisal.objects.get(pk=found.pk).status == AppraisalStatus.CORRECTING


def test_staff_may_not_report_for_the_department(as_user, staff, correcting):
    found, _c = correcting
    response = as_user(staff).post(f"{URL}appraisals/{found.pk}/report-correction/", {"report": "已整改"},
                                   format="json")  # fmt: skip
    assert response.status_code == 403


def test_staff_close_a_reported_correction(as_user, staff, correcting):
    found, c = correcting
    appraisal.report_correction(actor=core.officer_of(c[0].department), appraisal_id=found.pk, report="已整改")
    response = as_user(staff).post(f"{URL}appraisals/{found.pk}/close-correction/", {"note": "经核查已整改"},
                                   format="json")  # fmt: skip
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["closing_note"]) == ("closed", "经核查已整改")


def test_a_correction_not_reported_is_not_closed(as_user, staff, correcting):
    found, _c = correcting
    response = as_user(staff).post(f"{URL}appraisals/{found.pk}/close-correction/", {}, format="json")
    assert response.status_code == 409
    assert Appraisal.objects.get(pk=found.pk).status == AppraisalStatus.CORRECTING


# The webhook


def test_the_closing_is_announced_with_counts_and_the_projects_to_correct(staff, congress, rated):
    prog, c, _voters = rated
    _hook(congress, "livelihood.appraisal_closed")
    appraisal.close_appraisal(actor=staff, programme_id=prog.pk, today=DAY)
    [delivery] = WebhookDelivery.objects.all()
    data = delivery.payload["data"]
    assert (delivery.event, data["programme"], data["status"]) == ("livelihood.appraisal_closed", prog.pk, "appraised")
    assert [(p["project"], p["satisfied"], p["basically_satisfied"], p["dissatisfied"], p["status"])
            for p in data["projects"]] == [(c[0].pk, 1, 0, 3, "correcting"), (c[1].pk, 1, 1, 2, "passed"),
                                           (c[2].pk, 0, 0, 0, "passed")]  # fmt: skip
    assert data["correcting"] == [c[0].pk]
    assert "mandate" not in str(data) and "verdict" not in str(data)


def test_another_county_client_is_not_told_of_the_closing(staff, rated):
    prog, _c, _voters = rated
    _hook(core.CongressFactory(region=core.county("440104", "越秀区")), "livelihood.appraisal_closed")
    appraisal.close_appraisal(actor=staff, programme_id=prog.pk, today=DAY)
    assert not WebhookDelivery.objects.exists()
