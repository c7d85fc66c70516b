"""Staff run an activity through the API (provincial systems): create and change it, move it on, its sittings,
invitations (by mandate ids or the directory's filters), non-deputy participants, the report and its findings, a
finding's draft, referral and the unit's answer, and reports to voters. Each write calls the service the console
calls: refusals come in the API's error shape with the rule in Chinese; another congress's records are 404; a
deputy and a co-organising congress's staff get what the console gives them; a repeated Idempotency-Key acts once."""

import pytest
import time_machine

from activities import services
from activities.models import (
    Activity,
    ActivityKind,
    Finding,
    FindingOutcome,
    Invitation,
    Participant,
    Sitting,
    VoterReport,
)
from congress import services as core_services
from congress.models import WebhookDelivery, WebhookEndpoint
from suggestions.models import Suggestion
from tests import factories as core

from . import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/activities/"
CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def planned(staff, congress, may):
    return f.activity(staff, congress, send=False)


def post(client, path, data=None, **extra):
    return client.post(f"{URL}{path}", data or {}, format="json", **extra)


def patch(client, path, data, **extra):
    return client.patch(f"{URL}{path}", data, format="json", **extra)


def error(response, status):
    assert response.status_code == status, response.json()
    return response.json()["error"]


def new_activity(congress, **fields):
    return {"congress": congress.pk, "kind": "research", "title": "生态保护专题调研", "theme": "生态保护",
            "starts_on": "2026-07-01", "ends_on": "2026-07-03", "places": "甘南州", "capacity": 10,
            **fields}  # fmt: skip


# The activity itself


def test_staff_create_a_planned_activity(as_user, staff, congress, partner, may):
    response = post(as_user(staff), "", new_activity(congress, co_congresses=[partner.pk]))
    assert response.status_code == 201, response.json()
    body = response.json()
    activity = Activity.objects.get(pk=body["id"])
    assert (activity.status, activity.kind_id, activity.created_by) == ("planned", "research", staff)
    assert body["co_congresses"] == [partner.pk]


def test_a_client_with_the_write_scope_creates_an_activity(api_client, congress, may):
    response = post(f.token(api_client, congress, "activities:write", "activities:read"), "", new_activity(congress))
    assert response.status_code == 201, response.json()
    assert Activity.objects.get().congress == congress


def test_a_client_with_the_read_scope_only_cannot_create(api_client, congress, may):
    assert error(post(f.token(api_client, congress, "activities:read"), "", new_activity(congress)), 403)
    assert not Activity.objects.exists()


def test_a_deputy_cannot_create_an_activity(as_user, congress, mandate, may):
    assert error(post(as_user(mandate.person.user), "", new_activity(congress)), 403)["code"] == "forbidden"
    assert not Activity.objects.exists()


def test_staff_cannot_create_an_activity_of_another_congress(as_user, congress, elsewhere, may):
    error(post(as_user(core.staff_of(elsewhere)), "", new_activity(congress)), 403)
    assert not Activity.objects.exists()


def test_an_activity_ending_before_it_starts_is_refused_in_the_error_shape(as_user, staff, congress, may):
    body = error(post(as_user(staff), "", new_activity(congress, ends_on="2026-06-01"), **CHINESE), 400)
    assert body["fields"]
    assert not Activity.objects.exists()


def test_a_repeated_create_with_the_same_key_makes_one_activity(as_user, staff, congress, may):
    client = as_user(staff)
    first = post(client, "", new_activity(congress), HTTP_IDEMPOTENCY_KEY="plan-1")
    again = post(client, "", new_activity(congress), HTTP_IDEMPOTENCY_KEY="plan-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Activity.objects.count() == 1


def test_staff_change_an_activity(as_user, staff, activity):
    response = patch(as_user(staff), f"{activity.pk}/", {"title": "乡村振兴专题视察（调整）", "capacity": 8})
    assert response.status_code == 200, response.json()
    activity.refresh_from_db()
    assert (activity.title, activity.capacity) == ("乡村振兴专题视察（调整）", 8)


def test_fewer_places_than_taken_are_refused_in_chinese(as_user, staff, activity, mandate, other):
    for deputy in (mandate, other):
        f.invite_and_accept(staff, activity, deputy)
    body = error(patch(as_user(staff), f"{activity.pk}/", {"capacity": 1}, **CHINESE), 400)
    assert body["fields"]["capacity"] == ["已占用2个名额，名额不能少于该数。"]
    activity.refresh_from_db()
    assert activity.capacity == 2


def test_changing_another_congress_activity_is_404(as_user, activity, elsewhere):
    assert error(patch(as_user(core.staff_of(elsewhere)), f"{activity.pk}/", {"title": "改"}), 404)
    activity.refresh_from_db()
    assert activity.title == "乡村振兴专题视察"


def test_co_organising_staff_cannot_change_the_joint_activity(as_user, partner_staff, joint):
    assert error(patch(as_user(partner_staff), f"{joint.pk}/", {"title": "改"}), 403)["code"] == "forbidden"


def test_an_invited_deputy_cannot_change_the_activity(as_user, staff, activity, mandate):
    f.invite_and_accept(staff, activity, mandate)
    assert error(patch(as_user(mandate.person.user), f"{activity.pk}/", {"title": "改"}), 403)


# The activity's course


def test_staff_send_the_invitations_of_a_planned_activity(as_user, staff, planned):
    response = post(as_user(staff), f"{planned.pk}/send-invitations/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "inviting"


def test_invitations_without_sittings_are_refused_in_chinese(as_user, staff, congress, may):
    bare = f.activity(staff, congress, sittings=(), send=False)
    body = error(post(as_user(staff), f"{bare.pk}/send-invitations/", **CHINESE), 400)
    assert body["message"] == "请先安排活动场次再发出邀请。"


def test_staff_start_an_activity(as_user, staff, activity):
    assert post(as_user(staff), f"{activity.pk}/start/").json()["status"] == "under_way"


def test_closing_an_activity_under_invitation_is_refused_naming_its_state(as_user, staff, activity):
    body = error(post(as_user(staff), f"{activity.pk}/close/", **CHINESE), 409)
    assert "活动处于" in body["message"]
    activity.refresh_from_db()
    assert activity.status == "inviting"


def test_staff_submit_the_report_with_numbered_findings(as_user, staff, activity):
    services.start(actor=staff, activity_id=activity.pk)
    response = post(as_user(staff), f"{activity.pk}/submit-report/",
                    {"report": "视察报告正文", "findings": ["饮水工程管护不到位", "卫生院缺医生"]})  # fmt: skip
    assert response.status_code == 200, response.json()
    assert response.json()["report"] == "视察报告正文"
    assert list(activity.findings.values_list("number", "text")) == [(1, "饮水工程管护不到位"), (2, "卫生院缺医生")]


def test_staff_close_a_reported_activity_and_the_webhook_goes_out(as_user, staff, congress, activity):
    client, _token = core_services.create_api_client(actor=None, name="省平台", congress=congress,
                                                     scopes=["activities:read"], owner=core.UserFactory())  # fmt: skip
    WebhookEndpoint.objects.create(client=client, url="https://example.cn/hook", events=["activity.closed"],
                                   secret="s" * 32)  # fmt: skip
    services.start(actor=staff, activity_id=activity.pk)
    services.submit_report(actor=staff, activity_id=activity.pk, report="报告")
    assert post(as_user(staff), f"{activity.pk}/close/").json()["status"] == "closed"
    assert WebhookDelivery.objects.filter(event="activity.closed").count() == 1


def test_co_organising_staff_cannot_start_the_joint_activity(as_user, partner_staff, joint):
    assert error(post(as_user(partner_staff), f"{joint.pk}/start/"), 403)["code"] == "forbidden"


def test_a_deputy_cannot_move_the_activity_on(as_user, staff, activity, mandate):
    f.invite_and_accept(staff, activity, mandate)
    assert error(post(as_user(mandate.person.user), f"{activity.pk}/start/"), 403)


def test_starting_another_congress_activity_is_404(as_user, activity, elsewhere):
    assert error(post(as_user(core.staff_of(elsewhere)), f"{activity.pk}/start/"), 404)


def test_a_repeated_start_with_the_same_key_answers_the_first_result(as_user, staff, activity):
    client = as_user(staff)
    first = post(client, f"{activity.pk}/start/", HTTP_IDEMPOTENCY_KEY="start-1")
    again = post(client, f"{activity.pk}/start/", HTTP_IDEMPOTENCY_KEY="start-1")
    assert (first.status_code, again.status_code) == (200, 200)
    assert again["Idempotent-Replayed"] == "true"


# Invitations


def test_staff_invite_deputies_by_mandate_ids(as_user, staff, activity, mandate, other):
    response = post(as_user(staff), f"{activity.pk}/invite/", {"mandates": [mandate.pk, other.pk]})
    assert response.status_code == 200, response.json()
    invited = set(Invitation.objects.filter(activity=activity).values_list("mandate_id", flat=True))
    assert invited == {mandate.pk, other.pk}
    assert sorted(response.json()["invited"]) == sorted(Invitation.objects.values_list("pk", flat=True))


def test_staff_invite_the_deputies_the_directory_filters_find(as_user, staff, congress, activity):
    grassroots = f.deputy(congress)
    grassroots.person.grassroots = True
    grassroots.person.save()
    f.deputy(congress)  # not a grassroots deputy
    response = post(as_user(staff), f"{activity.pk}/invite/", {"filters": {"grassroots": "true"}})
    assert response.status_code == 200, response.json()
    assert list(Invitation.objects.values_list("mandate_id", flat=True)) == [grassroots.pk]


def test_inviting_with_no_filter_is_refused_and_invites_nobody(as_user, staff, activity, mandate):
    body = error(post(as_user(staff), f"{activity.pk}/invite/", {"filters": {}}, **CHINESE), 400)
    assert body["fields"]["filters"] == ["请至少给出一个筛选条件。"]
    assert not Invitation.objects.exists()


def test_inviting_a_deputy_twice_is_refused_in_chinese(as_user, staff, activity, mandate):
    services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[mandate.pk])
    body = error(post(as_user(staff), f"{activity.pk}/invite/", {"mandates": [mandate.pk]}, **CHINESE), 400)
    assert body["fields"]["mandates"][0].startswith("规则“每位代表对同一活动只邀请一次”")
    assert Invitation.objects.count() == 1


def test_co_organising_staff_invite_their_own_deputies(as_user, partner_staff, partner, joint):
    theirs = f.deputy(partner)
    response = post(as_user(partner_staff), f"{joint.pk}/invite/", {"mandates": [theirs.pk]})
    assert response.status_code == 200, response.json()
    assert Invitation.objects.get().mandate == theirs


def test_co_organising_staff_cannot_invite_the_organisers_deputies(as_user, partner_staff, joint, mandate):
    body = error(post(as_user(partner_staff), f"{joint.pk}/invite/", {"mandates": [mandate.pk]}, **CHINESE), 400)
    assert body["fields"]["mandates"] == ["请选择本级人大所在行政区域的代表。"]
    assert not Invitation.objects.exists()


def test_a_deputy_cannot_invite(as_user, staff, activity, mandate, other):
    f.invite_and_accept(staff, activity, mandate)
    assert error(post(as_user(mandate.person.user), f"{activity.pk}/invite/", {"mandates": [other.pk]}), 403)


def test_inviting_to_another_congress_activity_is_404(as_user, activity, elsewhere):
    theirs = f.deputy(elsewhere)
    assert error(post(as_user(core.staff_of(elsewhere)), f"{activity.pk}/invite/", {"mandates": [theirs.pk]}), 404)


def test_a_repeated_invitation_with_the_same_key_invites_once(as_user, staff, activity, mandate):
    client = as_user(staff)
    first = post(client, f"{activity.pk}/invite/", {"mandates": [mandate.pk]}, HTTP_IDEMPOTENCY_KEY="inv-1")
    again = post(client, f"{activity.pk}/invite/", {"mandates": [mandate.pk]}, HTTP_IDEMPOTENCY_KEY="inv-1")
    assert again.json() == first.json()
    assert Invitation.objects.count() == 1


# Sittings


def sitting_times(**fields):
    return {"starts_at": "2026-06-02T14:00:00+08:00", "ends_at": "2026-06-02T17:00:00+08:00", "topic": "座谈",
            **fields}  # fmt: skip


def test_staff_add_a_sitting_numbered_next(as_user, staff, activity):
    response = post(as_user(staff), "sittings/", sitting_times(activity=activity.pk, place="县政府会议室"))
    assert response.status_code == 201, response.json()
    sitting = Sitting.objects.get(pk=response.json()["id"])
    assert (sitting.number, sitting.place) == (2, "县政府会议室")
    assert response.json()["checkin_code"] == sitting.checkin_code


def test_a_sitting_at_the_time_of_another_is_refused_in_chinese(as_user, staff, activity):
    data = {"activity": activity.pk, "starts_at": "2026-06-01T10:00:00+08:00", "ends_at": "2026-06-01T11:00:00+08:00"}
    body = error(post(as_user(staff), "sittings/", data, **CHINESE), 400)
    assert body["fields"]["starts_at"] == ["本活动在该时间已有其他场次。"]
    assert activity.sittings.count() == 1


def test_staff_move_a_sitting(as_user, staff, activity):
    sitting = activity.sittings.get()
    response = patch(as_user(staff), f"sittings/{sitting.pk}/", {"place": "乡镇卫生院", "topic": "实地查看"})
    assert response.status_code == 200, response.json()
    sitting.refresh_from_db()
    assert (sitting.place, sitting.topic) == ("乡镇卫生院", "实地查看")


def test_co_organising_staff_cannot_add_sittings(as_user, partner_staff, joint):
    assert error(post(as_user(partner_staff), "sittings/", sitting_times(activity=joint.pk)), 403)
    assert joint.sittings.count() == 1


def test_a_deputy_cannot_move_a_sitting(as_user, staff, activity, mandate):
    f.invite_and_accept(staff, activity, mandate)
    sitting = activity.sittings.get()
    assert error(patch(as_user(mandate.person.user), f"sittings/{sitting.pk}/", {"place": "别处"}), 403)


def test_adding_a_sitting_to_another_congress_activity_is_404(as_user, activity, elsewhere):
    assert error(post(as_user(core.staff_of(elsewhere)), "sittings/", sitting_times(activity=activity.pk)), 404)


def test_a_repeated_sitting_with_the_same_key_adds_one(as_user, staff, activity):
    client = as_user(staff)
    for _ in range(2):
        post(client, "sittings/", sitting_times(activity=activity.pk), HTTP_IDEMPOTENCY_KEY="sit-1")
    assert activity.sittings.count() == 2  # the fixture's and this one


# Non-deputy participants


def test_staff_record_a_non_deputy_participant(as_user, staff, activity):
    data = {"activity": activity.pk, "kind": "expert", "name": "李明", "affiliation": "兰州大学"}
    response = post(as_user(staff), "participants/", data)
    assert response.status_code == 201, response.json()
    assert Participant.objects.get().name == "李明"
    assert as_user(staff).get(f"{URL}participants/").json()["results"][0]["affiliation"] == "兰州大学"


def test_staff_change_a_participant(as_user, staff, activity):
    person = services.save_participant(actor=staff, participant=Participant(activity=activity, kind="citizen",
                                                                            name="王芳"))  # fmt: skip
    assert patch(as_user(staff), f"participants/{person.pk}/", {"note": "村民代表"}).status_code == 200
    person.refresh_from_db()
    assert person.note == "村民代表"


def test_an_unknown_participant_kind_is_refused(as_user, staff, activity):
    body = error(post(as_user(staff), "participants/", {"activity": activity.pk, "kind": "vip", "name": "某"}), 400)
    assert "kind" in body["fields"]
    assert not Participant.objects.exists()


def test_a_deputy_cannot_record_participants(as_user, staff, activity, mandate):
    f.invite_and_accept(staff, activity, mandate)
    data = {"activity": activity.pk, "kind": "citizen", "name": "某"}
    assert error(post(as_user(mandate.person.user), "participants/", data), 403)


def test_recording_a_participant_of_another_congress_activity_is_404(as_user, activity, elsewhere):
    data = {"activity": activity.pk, "kind": "citizen", "name": "某"}
    assert error(post(as_user(core.staff_of(elsewhere)), "participants/", data), 404)


def test_a_repeated_participant_with_the_same_key_is_recorded_once(as_user, staff, activity):
    data = {"activity": activity.pk, "kind": "citizen", "name": "王芳"}
    for _ in range(2):
        post(as_user(staff), "participants/", data, HTTP_IDEMPOTENCY_KEY="p-1")
    assert Participant.objects.count() == 1


# Findings


@pytest.fixture
def reported(staff, activity, mandate, other):
    """`mandate` and `other` present at the sitting; the report submitted with two findings."""
    invitations = [f.invite_and_accept(staff, activity, m) for m in (mandate, other)]
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        services.record_attendance(actor=staff, sitting_id=activity.sittings.get().pk,
                                   marks={i.pk: "present" for i in invitations})  # fmt: skip
        services.start(actor=staff, activity_id=activity.pk)
        services.submit_report(actor=staff, activity_id=activity.pk, report="报告", findings=["问题一", "问题二"])
    return activity


@pytest.fixture
def unit(congress):
    return core.OrganisationFactory(region=congress.region, name="省水利厅")


def first(activity) -> Finding:
    return activity.findings.get(number=1)


def test_staff_list_the_findings_with_what_became_of_them(as_user, staff, reported):
    body = as_user(staff).get(f"{URL}findings/", {"activity": reported.pk}).json()
    assert sorted((row["number"], row["outcome"]) for row in body["results"]) == [(1, None), (2, None)]


def test_a_finding_becomes_a_suggestion_draft(as_user, staff, reported, mandate, other):
    response = post(as_user(staff), f"findings/{first(reported).pk}/draft/", {"lead": mandate.pk})
    assert response.status_code == 200, response.json()
    suggestion = Suggestion.objects.get()
    assert response.json()["outcome"]["kind"] == "draft"
    assert response.json()["outcome"]["suggestion"] == suggestion.pk
    assert list(suggestion.cosigners.values_list("mandate_id", flat=True)) == [other.pk]


def test_a_finding_taken_up_twice_is_refused_in_chinese(as_user, staff, reported, mandate, other):
    services.finding_to_draft(actor=staff, finding_id=first(reported).pk, lead_id=mandate.pk)
    body = error(post(as_user(staff), f"findings/{first(reported).pk}/draft/", {"lead": other.pk}, **CHINESE), 400)
    assert body["message"].startswith("规则“每条问题只处理一次”")
    assert Suggestion.objects.count() == 1


def test_a_finding_is_referred_to_a_unit_with_a_deadline(as_user, staff, reported, unit):
    with time_machine.travel("2026-07-08 10:00 +0800", tick=False):
        response = post(as_user(staff), f"findings/{first(reported).pk}/refer/", {"unit": unit.pk, "workdays": 5})
    assert response.status_code == 200, response.json()
    outcome = response.json()["outcome"]
    assert (outcome["kind"], outcome["unit"], outcome["due_on"]) == ("referral", unit.pk, "2026-07-15")


def test_the_units_answer_is_recorded(as_user, staff, reported, unit):
    services.finding_to_unit(actor=staff, finding_id=first(reported).pk, unit_id=unit.pk, workdays=5)
    response = post(as_user(staff), f"findings/{first(reported).pk}/answer/", {"answer": "已安排专项资金整改"})
    assert response.status_code == 200, response.json()
    assert (response.json()["outcome"]["answered"], response.json()["outcome"]["answer"]) == (
        True,
        "已安排专项资金整改",
    )


def test_an_answer_to_a_finding_not_referred_is_refused(as_user, staff, reported):
    body = error(post(as_user(staff), f"findings/{first(reported).pk}/answer/", {"answer": "答复"}, **CHINESE), 400)
    assert body["message"] == "该问题未转交单位。"
    assert not FindingOutcome.objects.exists()


def test_a_deputy_cannot_take_up_a_finding(as_user, reported, mandate):
    assert error(post(as_user(mandate.person.user), f"findings/{first(reported).pk}/draft/", {"lead": mandate.pk}),
                 403)  # fmt: skip
    assert not Suggestion.objects.exists()


def test_referring_another_congress_finding_is_404(as_user, reported, elsewhere):
    theirs = core.OrganisationFactory(region=elsewhere.region)
    response = post(as_user(core.staff_of(elsewhere)), f"findings/{first(reported).pk}/refer/",
                    {"unit": theirs.pk, "workdays": 5})  # fmt: skip
    assert error(response, 404)


def test_a_repeated_draft_with_the_same_key_drafts_once(as_user, staff, reported, mandate):
    client = as_user(staff)
    path = f"findings/{first(reported).pk}/draft/"
    first_answer = post(client, path, {"lead": mandate.pk}, HTTP_IDEMPOTENCY_KEY="draft-1")
    again = post(client, path, {"lead": mandate.pk}, HTTP_IDEMPOTENCY_KEY="draft-1")
    assert (first_answer.status_code, again.status_code) == (200, 200)
    assert Suggestion.objects.count() == 1


# Reports to voters


@pytest.fixture
def meeting(staff, congress, may, mandate):
    activity = f.activity(staff, congress, title="向选民述职会", kind=ActivityKind.objects.get(pk="report_to_voters"),
                          capacity=5)  # fmt: skip
    f.invite_and_accept(staff, activity, mandate)
    services.start(actor=staff, activity_id=activity.pk)
    return activity


def report(activity, mandate, **counts):
    return {"activity": activity.pk, "mandate": mandate.pk, "text": "一年来，我提出建议3件……", "voters": 60,
            "satisfied": 48, "basically_satisfied": 9, "dissatisfied": 3, **counts}  # fmt: skip


def test_staff_record_a_report_to_voters(as_user, staff, meeting, mandate):
    response = post(as_user(staff), "voter-reports/", report(meeting, mandate))
    assert response.status_code == 201, response.json()
    saved = VoterReport.objects.get()
    assert (saved.mandate, saved.voters, saved.satisfied, saved.recorded_by) == (mandate, 60, 48, staff)


def test_recording_the_report_again_corrects_it(as_user, staff, meeting, mandate):
    post(as_user(staff), "voter-reports/", report(meeting, mandate))
    post(as_user(staff), "voter-reports/", report(meeting, mandate, satisfied=50, dissatisfied=1))
    assert VoterReport.objects.get().satisfied == 50


def test_a_report_to_voters_at_an_inspection_is_refused_in_chinese(as_user, staff, activity, mandate):
    f.invite_and_accept(staff, activity, mandate)
    services.start(actor=staff, activity_id=activity.pk)
    body = error(post(as_user(staff), "voter-reports/", report(activity, mandate), **CHINESE), 400)
    assert body["message"] == "只有“向选民述职”类活动才能记录代表述职。"
    assert not VoterReport.objects.exists()


def test_a_deputy_cannot_record_their_own_report(as_user, meeting, mandate):
    assert error(post(as_user(mandate.person.user), "voter-reports/", report(meeting, mandate)), 403)
    assert not VoterReport.objects.exists()


def test_recording_a_report_at_another_congress_activity_is_404(as_user, meeting, mandate, elsewhere):
    assert error(post(as_user(core.staff_of(elsewhere)), "voter-reports/", report(meeting, mandate)), 404)


def test_a_repeated_report_with_the_same_key_is_recorded_once(as_user, staff, meeting, mandate):
    client = as_user(staff)
    for _ in range(2):
        response = post(client, "voter-reports/", report(meeting, mandate), HTTP_IDEMPOTENCY_KEY="vr-1")
    assert response["Idempotent-Replayed"] == "true"
    assert VoterReport.objects.count() == 1


def test_the_deputy_reads_their_own_report(as_user, staff, meeting, mandate):
    services.record_voter_report(actor=staff, activity_id=meeting.pk, mandate_id=mandate.pk, text="述职", voters=10)
    rows = as_user(mandate.person.user).get(f"{URL}voter-reports/").json()["results"]
    assert [(row["mandate"], row["voters"]) for row in rows] == [(mandate.pk, 10)]
