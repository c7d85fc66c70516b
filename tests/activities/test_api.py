"""The activities API: who lists what, the filters and sync, the answers and the roll through their endpoints, the
client scopes and the webhooks they emit."""

from datetime import date

import pytest

from activities import services
from activities.models import ActivityKind, Sitting
from congress import services as core_services
from congress.models import Tombstone, WebhookDelivery, WebhookEndpoint
from tests import factories as core

from . import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/activities/"


def ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


# Reading, in scope


def test_client_lists_only_its_own_congress_activities(api_client, staff, congress, elsewhere, activity):
    f.activity(core.staff_of(elsewhere), elsewhere, title="珠三角联合调研")
    client = f.token(api_client, congress, "activities:read")
    assert ids(client.get(URL)) == [activity.pk]


def test_client_asking_for_another_congress_activity_gets_404(api_client, congress, elsewhere, may):
    theirs = f.activity(core.staff_of(elsewhere), elsewhere)
    response = f.token(api_client, congress, "activities:read").get(f"{URL}{theirs.pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


def test_staff_asking_for_another_congress_activity_gets_404(as_user, activity, elsewhere):
    assert as_user(core.staff_of(elsewhere)).get(f"{URL}{activity.pk}/").status_code == 404


def test_client_without_the_activities_scope_gets_403(api_client, congress, activity):
    response = f.token(api_client, congress, "training:read", "suggestions:read").get(URL)
    assert response.status_code == 403
    assert response.json()["error"]["status"] == 403


def test_client_with_read_scope_only_cannot_answer_or_take_the_roll(api_client, congress, staff, mandate, activity):
    invitation = f.invite_and_accept(staff, activity, mandate)
    client = f.token(api_client, congress, "activities:read")
    response = client.post(f"{URL}invitations/{invitation.pk}/decline/", {"reason": "出差"}, format="json")
    assert response.status_code == 403


def test_deputy_lists_the_activities_they_are_invited_to_only(as_user, staff, congress, mandate, activity):
    f.activity(staff, congress, title="未邀请的调研")
    f.invite_and_accept(staff, activity, mandate)
    assert ids(as_user(mandate.person.user).get(URL)) == [activity.pk]


def test_detail_shows_sittings_materials_and_counts_by_status(as_user, staff, congress, mandate, other, third, may):
    two = (("2026-06-01 09:00", "2026-06-01 12:00"), ("2026-06-02 09:00", "2026-06-02 12:00"))
    activity = f.activity(staff, congress, capacity=2, sittings=two)
    services.add_material(actor=staff, activity_id=activity.pk, title="视察路线", url="https://example.cn/route")
    first = f.invite_and_accept(staff, activity, mandate)
    f.invite_and_accept(staff, activity, other)
    f.invite_and_accept(staff, activity, third)  # capacity 2: the third waits in line
    fourth = services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[f.deputy(congress).pk]).invited[0]
    declining = f.deputy(congress)
    invitation = services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[declining.pk]).invited[0]
    services.decline(actor=declining.person.user, invitation_id=invitation.pk, reason="同期出国访问")
    may.move_to("2026-06-01 09:30 +0800")
    sitting = activity.sittings.get(number=1)
    services.record_attendance(actor=staff, sitting_id=sitting.pk, marks={first.pk: "present"})

    body = as_user(staff).get(f"{URL}{activity.pk}/").json()
    assert [s["number"] for s in body["sittings"]] == [1, 2]
    assert body["sittings"][0]["checkin_code"] == sitting.checkin_code
    assert [m["title"] for m in body["materials"]] == ["视察路线"]
    assert body["invitations"] == {"invited": 1, "accepted": 2, "waitlisted": 1, "declined": 1, "withdrawn": 0}
    assert body["attendance"] == {"present": 1, "leave": 0, "absent": 0}
    assert (body["kind"], body["status"], body["taken"]) == ("inspection", "inviting", 2)
    assert fourth.status == "invited"


def test_deputies_do_not_see_check_in_codes(as_user, staff, mandate, activity):
    f.invite_and_accept(staff, activity, mandate)
    body = as_user(mandate.person.user).get(f"{URL}{activity.pk}/").json()
    assert body["sittings"][0]["checkin_code"] is None


def test_deputy_lists_only_their_own_invitations(as_user, staff, mandate, other, activity):
    mine = f.invite_and_accept(staff, activity, mandate)
    f.invite_and_accept(staff, activity, other)
    assert ids(as_user(mandate.person.user).get(f"{URL}invitations/")) == [mine.pk]


# Filters and sync


def test_activities_filter_by_kind_status_congress_and_dates(as_user, staff, congress, may):
    june = f.activity(staff, congress, title="六月视察")
    july = f.activity(staff, congress, title="七月调研", kind=ActivityKind.objects.get(pk="research"), send=False,
                      starts_on=date(2026, 7, 6), ends_on=date(2026, 7, 7),
                      sittings=(("2026-07-06 09:00", "2026-07-06 12:00"),))  # fmt: skip
    client = as_user(staff)
    assert ids(client.get(URL, {"kind": "research"})) == [july.pk]
    assert ids(client.get(URL, {"status": "inviting"})) == [june.pk]
    assert ids(client.get(URL, {"starts_after": "2026-07-01"})) == [july.pk]
    assert ids(client.get(URL, {"starts_before": "2026-06-30"})) == [june.pk]
    assert ids(client.get(URL, {"congress": congress.pk})) == [july.pk, june.pk]
    assert ids(client.get(URL, {"congress": congress.pk + 1000})) == []


def test_activities_sync_since_a_time(as_user, staff, congress, may):
    f.activity(staff, congress, title="早先的视察")
    may.move_to("2026-05-12 10:00 +0800")
    later = f.activity(staff, congress, title="后来的视察")
    assert ids(as_user(staff).get(URL, {"updated_since": "2026-05-12T00:00:00+08:00"})) == [later.pk]


def test_an_unknown_status_filter_answers_400_in_the_error_shape(as_user, staff, activity):
    response = as_user(staff).get(URL, {"status": "finished"})
    assert response.status_code == 400
    assert "status" in response.json()["error"]["fields"]


def test_invitations_filter_by_status(as_user, staff, congress, mandate, other, may):
    activity = f.activity(staff, congress, capacity=1)
    f.invite_and_accept(staff, activity, mandate)
    waiting = f.invite_and_accept(staff, activity, other)
    assert ids(as_user(staff).get(f"{URL}invitations/", {"status": "waitlisted"})) == [waiting.pk]


# Answers


def test_deputy_accepts_through_the_api(as_user, staff, mandate, activity):
    invitation = services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[mandate.pk]).invited[0]
    response = as_user(mandate.person.user).post(f"{URL}invitations/{invitation.pk}/accept/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "accepted"


def test_deputy_declines_with_a_reason(as_user, staff, mandate, activity):
    invitation = services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[mandate.pk]).invited[0]
    response = as_user(mandate.person.user).post(f"{URL}invitations/{invitation.pk}/decline/",
                                                 {"reason": "同期参加全国人大会议"}, format="json")  # fmt: skip
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["decline_reason"]) == ("declined", "同期参加全国人大会议")


def test_declining_without_a_reason_is_refused_naming_the_field(as_user, staff, mandate, activity):
    invitation = services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[mandate.pk]).invited[0]
    response = as_user(mandate.person.user).post(f"{URL}invitations/{invitation.pk}/decline/", {"reason": ""},
                                                 format="json")  # fmt: skip
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["reason"]


def test_deputy_answering_someone_elses_invitation_gets_404(as_user, staff, mandate, other, activity):
    invitation = services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[other.pk]).invited[0]
    response = as_user(mandate.person.user).post(f"{URL}invitations/{invitation.pk}/accept/")
    assert response.status_code == 404
    assert services.Invitation.objects.get(pk=invitation.pk).status == "invited"


def test_staff_may_not_answer_for_the_deputy(as_user, staff, mandate, activity):
    invitation = services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[mandate.pk]).invited[0]
    response = as_user(staff).post(f"{URL}invitations/{invitation.pk}/accept/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_accepting_twice_answers_409_naming_the_state(as_user, staff, mandate, activity):
    invitation = f.invite_and_accept(staff, activity, mandate)
    response = as_user(mandate.person.user).post(f"{URL}invitations/{invitation.pk}/accept/")
    assert response.status_code == 409
    assert "已接受" in response.json()["error"]["message"]  # the refusal names the state, in Chinese


# The roll and check-in


def test_staff_take_the_roll_through_the_api(as_user, staff, mandate, other, activity, may):
    first = f.invite_and_accept(staff, activity, mandate)
    second = f.invite_and_accept(staff, activity, other)
    sitting = activity.sittings.get()
    may.move_to("2026-06-01 09:30 +0800")
    marks = {"marks": [{"invitation": first.pk, "status": "present"}, {"invitation": second.pk, "status": "leave"}]}
    response = as_user(staff).post(f"{URL}sittings/{sitting.pk}/attendance/", marks, format="json")
    assert response.json() == {"changed": 2}
    rows = as_user(staff).get(f"{URL}attendance/", {"activity": activity.pk}).json()["results"]
    assert sorted((r["invitation"], r["status"]) for r in rows) == [(first.pk, "present"), (second.pk, "leave")]


def test_staff_of_another_congress_cannot_take_the_roll(as_user, staff, mandate, activity, elsewhere, may):
    invitation = f.invite_and_accept(staff, activity, mandate)
    may.move_to("2026-06-01 09:30 +0800")
    marks = {"marks": [{"invitation": invitation.pk, "status": "present"}]}
    response = as_user(core.staff_of(elsewhere)).post(
        f"{URL}sittings/{activity.sittings.get().pk}/attendance/", marks, format="json"
    )
    assert response.status_code == 404


def test_the_roll_before_the_sitting_is_refused_in_the_error_shape(as_user, staff, mandate, activity):
    invitation = f.invite_and_accept(staff, activity, mandate)
    marks = {"marks": [{"invitation": invitation.pk, "status": "present"}]}
    response = as_user(staff).post(f"{URL}sittings/{activity.sittings.get().pk}/attendance/", marks, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "rule_violation"


def test_deputy_checks_in_with_the_code(as_user, staff, mandate, activity, may):
    f.invite_and_accept(staff, activity, mandate)
    may.move_to("2026-06-01 09:05 +0800")
    code = activity.sittings.get().checkin_code
    response = as_user(mandate.person.user).post(f"{URL}sittings/check-in/", {"code": code}, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["status"], response.json()["channel"]) == ("present", "code")


# Webhooks and the changes feed


def _hook(congress, *events):
    client, _token = core_services.create_api_client(actor=None, name="省平台", congress=congress,
                                                     scopes=["activities:read"], owner=core.UserFactory())  # fmt: skip
    events = list(events) or ["activity.status_changed", "activity.invitation_answered"]
    WebhookEndpoint.objects.create(client=client, url="https://example.cn/hook", events=events, secret="s" * 32)
    return client


def test_a_change_of_state_is_announced(staff, congress, may):
    _hook(congress)
    activity = f.activity(staff, congress, send=False)
    services.send_invitations(actor=staff, activity_id=activity.pk)
    delivery = WebhookDelivery.objects.get(event="activity.status_changed")
    data = delivery.payload["data"]
    assert (data["activity"], data["status"], data["previous"]) == (activity.pk, "inviting", "planned")


def test_closing_is_announced_with_its_report_time(staff, congress, activity):
    _hook(congress, "activity.closed")
    services.start(actor=staff, activity_id=activity.pk)
    services.submit_report(actor=staff, activity_id=activity.pk, report="调研报告")
    services.close(actor=staff, activity_id=activity.pk)
    [delivery] = WebhookDelivery.objects.all()
    assert (delivery.event, delivery.payload["data"]["activity"]) == ("activity.closed", activity.pk)
    assert delivery.payload["data"]["closed_at"] is not None


def test_a_deputy_answer_is_announced(staff, congress, mandate, activity):
    _hook(congress)
    invitation = services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[mandate.pk]).invited[0]
    services.decline(actor=mandate.person.user, invitation_id=invitation.pk, reason="出差")
    data = WebhookDelivery.objects.get(event="activity.invitation_answered").payload["data"]
    assert (data["invitation"], data["status"], data["previous"], data["decline_reason"]) == (
        invitation.pk, "declined", "invited", "出差")  # fmt: skip


def test_another_congress_client_is_not_told(staff, congress, elsewhere, mandate, activity):
    _hook(elsewhere)
    f.invite_and_accept(staff, activity, mandate)
    assert not WebhookDelivery.objects.exists()


def test_a_deleted_sitting_reaches_the_changes_feed(api_client, staff, congress, activity):
    sitting = Sitting.objects.filter(activity=activity).get()
    pk = sitting.pk
    sitting.delete()
    assert Tombstone.objects.get().resource == "activities/sittings"
    rows = f.token(api_client, congress, "activities:read").get("/api/v1/changes/").json()["results"]
    assert [(r["resource"], r["object_id"]) for r in rows] == [("activities/sittings", pk)]


def test_the_changes_feed_leaves_activities_out_for_a_client_without_the_scope(api_client, congress, activity):
    Sitting.objects.filter(activity=activity).get().delete()
    rows = f.token(api_client, congress, "training:read").get("/api/v1/changes/").json()["results"]
    assert rows == []
