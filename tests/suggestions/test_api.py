"""The suggestions REST API: who lists what, the filters, and each workflow action through its endpoint."""

from datetime import timedelta

import pytest
from django.utils import timezone

from congress import services as core_services
from congress.models import PolicyValue, Role, RoleMembership
from suggestions import services
from suggestions.models import (
    Assignment,
    AssignmentStatus,
    CoSignerStatus,
    ExtensionRequest,
    KeySupervision,
    Kind,
    ReassignmentRequest,
    Status,
    Suggestion,
    SupervisionNote,
)
from tests import factories as core

from . import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/suggestions/"


def ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def act(client, suggestion, action, data=None, **kwargs):
    return client.post(f"{URL}{suggestion.pk}/{action}/", data or {}, format=kwargs.pop("format", "json"), **kwargs)


def error(response):
    return response.json()["error"]


# Who sees what


def test_staff_list_their_congress_suggestions_without_drafts(as_user, mandate, staff):
    draft = f.draft(mandate)
    submitted = f.submitted(mandate)
    assert ids(as_user(staff).get(URL)) == [submitted.pk]
    assert draft.pk not in ids(as_user(staff).get(URL))


def test_staff_of_another_congress_see_nothing(as_user, mandate):
    f.submitted(mandate)
    other = core.CongressFactory(region=core.province("45", "广西壮族自治区"))
    assert ids(as_user(core.staff_of(other)).get(URL)) == []


def test_unit_lists_only_suggestions_assigned_to_it(as_user, mandate, staff, lead_unit, co_unit):
    unit, officer = lead_unit
    mine = f.assigned(mandate, staff, unit)
    f.assigned(mandate, staff, co_unit[0])
    f.accepted(mandate, staff)
    assert ids(as_user(officer).get(URL)) == [mine.pk]


def test_deputy_lists_only_their_own_suggestions(as_user, congress, mandate, deputy_user):
    own = f.draft(mandate)
    f.submitted(f.deputy(congress))
    assert ids(as_user(deputy_user).get(URL)) == [own.pk]


def test_detail_of_an_invisible_suggestion_is_404(as_user, congress, mandate):
    other = f.submitted(f.deputy(congress))
    assert as_user(mandate.person.user).get(f"{URL}{other.pk}/").status_code == 404


def test_output_names_deputies_without_phone_or_id_number(as_user, congress, mandate, staff):
    cosigner = f.deputy(congress)
    suggestion = f.draft(mandate)
    services.save_draft(actor=mandate.person.user, suggestion_id=suggestion.pk, fields={},
                        cosigner_ids=[cosigner.pk])  # fmt: skip
    services.submit(actor=mandate.person.user, suggestion_id=suggestion.pk)
    response = as_user(staff).get(f"{URL}{suggestion.pk}/")
    body = response.content.decode()
    assert response.json()["lead"] == {"mandate": mandate.pk, "name": mandate.person.name}
    assert response.json()["cosigners"][0]["name"] == cosigner.person.name
    for person in (mandate.person, cosigner.person):
        assert person.phone not in body
        assert person.id_number not in body


def test_detail_shows_assignments_with_replies(as_user, mandate, staff, lead_unit):
    unit, officer = lead_unit
    suggestion = f.assigned(mandate, staff, unit)
    answer = f.reply_to(suggestion.assignments.get(), officer, result="A")
    row = as_user(staff).get(f"{URL}{suggestion.pk}/").json()["assignments"][0]
    assert (row["unit"], row["role"], row["status"]) == (unit.pk, "lead", "replied")
    assert row["replies"][0]["id"] == answer.pk
    assert row["replies"][0]["result"] == "A"
    assert row["replies"][0]["round"] == 1


def test_token_client_with_read_scope_lists_its_congress(api_client, congress, mandate):
    submitted = f.submitted(mandate)
    _, token = core_services.create_api_client(actor=None, name="省平台", congress=congress,
                                               scopes=["suggestions:read"], owner=core.UserFactory())  # fmt: skip
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert ids(api_client.get(URL)) == [submitted.pk]


def test_token_client_without_suggestions_scope_is_403(api_client, congress):
    _, token = core_services.create_api_client(actor=None, name="省平台", congress=congress,
                                               scopes=["stations:read"], owner=core.UserFactory())  # fmt: skip
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api_client.get(URL).status_code == 403


# Filters


def test_filter_by_status(as_user, mandate, staff):
    f.submitted(mandate)
    accepted = f.accepted(mandate, staff)
    assert ids(as_user(staff).get(URL, {"status": "accepted"})) == [accepted.pk]


def test_filter_by_kind(as_user, congress, mandate, staff):
    PolicyValue.objects.create(congress=congress, key="motion.cosigner_threshold", value=1)
    motion = f.submitted(mandate, kind=Kind.MOTION)
    f.submitted(mandate)
    assert ids(as_user(staff).get(URL, {"kind": "motion"})) == [motion.pk]


def test_filter_by_session_id_or_between_sessions(as_user, congress, mandate, staff):
    session = core.SessionFactory(term=mandate.term)
    during = f.submitted(mandate, session=session)
    between = f.submitted(mandate)
    client = as_user(staff)
    assert ids(client.get(URL, {"session": session.pk})) == [during.pk]
    assert ids(client.get(URL, {"session": "between"})) == [between.pk]


def test_filter_by_bad_session_is_400(as_user, staff):
    response = as_user(staff).get(URL, {"session": "first"})
    assert response.status_code == 400
    assert "session" in error(response)["fields"]


def test_filter_by_unit_ignores_released_assignments(as_user, mandate, staff, lead_unit, co_unit):
    unit, _ = lead_unit
    kept = f.assigned(mandate, staff, unit)
    released = f.assigned(mandate, staff, co_unit[0], co=[unit])
    released.assignments.filter(unit=unit).update(status=AssignmentStatus.RELEASED)
    assert ids(as_user(staff).get(URL, {"unit": unit.pk})) == [kept.pk]


def test_filter_by_category(as_user, congress, mandate, staff):
    transport = f.CategoryFactory(congress=congress, name="交通")
    chosen = f.submitted(mandate, category=transport)
    f.submitted(mandate)
    assert ids(as_user(staff).get(URL, {"category": transport.pk})) == [chosen.pk]


def test_filter_by_lead_deputy_mandate_or_person(as_user, congress, mandate, staff):
    mine = f.submitted(mandate)
    f.submitted(f.deputy(congress))
    client = as_user(staff)
    assert ids(client.get(URL, {"deputy": mandate.pk})) == [mine.pk]
    assert ids(client.get(URL, {"person": mandate.person_id})) == [mine.pk]


def test_filter_overdue(as_user, mandate, staff, lead_unit):
    unit, _ = lead_unit
    late = f.assigned(mandate, staff, unit)
    late.assignments.update(reply_due=timezone.localdate() - timedelta(days=1))
    on_time = f.assigned(mandate, staff, unit)
    client = as_user(staff)
    assert ids(client.get(URL, {"overdue": "true"})) == [late.pk]
    assert ids(client.get(URL, {"overdue": "false"})) == [on_time.pk]


def test_filter_key_supervision(as_user, congress, mandate, staff):
    key = f.accepted(mandate, staff)
    plain = f.accepted(mandate, staff)
    item = KeySupervision.objects.create(congress=congress, year=2026, title="课后服务", leader=staff)
    item.suggestions.add(key)
    client = as_user(staff)
    assert ids(client.get(URL, {"key_supervision": "true"})) == [key.pk]
    assert ids(client.get(URL, {"key_supervision": "false"})) == [plain.pk]


def test_filter_updated_since(as_user, mandate, staff):
    f.submitted(mandate)
    assert ids(as_user(staff).get(URL, {"updated_since": "2999-01-01T00:00:00Z"})) == []


def test_filter_by_congress(as_user, congress, mandate, staff):
    submitted = f.submitted(mandate)
    client = as_user(staff)
    assert ids(client.get(URL, {"congress": congress.pk})) == [submitted.pk]
    other = core.CongressFactory(region=core.province("45", "广西壮族自治区"))
    assert ids(client.get(URL, {"congress": other.pk})) == []


def test_list_query_count_does_not_grow_with_rows(as_user, congress, mandate, staff, lead_unit, co_unit,
                                                  django_assert_max_num_queries):  # fmt: skip
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(staff)
    f.assigned(mandate, staff, lead_unit[0], co=[co_unit[0]])
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL).status_code == 200
    for _ in range(4):
        suggestion = f.assigned(mandate, staff, lead_unit[0], co=[co_unit[0]])
        f.reply_to(suggestion.assignments.get(role="lead"), lead_unit[1])
    with django_assert_max_num_queries(len(one)):
        assert len(client.get(URL).json()["results"]) == 5


# Drafting


def test_deputy_creates_a_draft_under_their_mandate(as_user, congress, mandate, deputy_user):
    category = f.CategoryFactory(congress=congress)
    response = as_user(deputy_user).post(
        URL, {"mandate": mandate.pk, "title": "增加公交线路", "content": f.CONTENT, "category": category.pk},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "draft"
    assert Suggestion.objects.get(pk=response.json()["id"]).lead == mandate


def test_create_without_mandate_is_400(as_user, deputy_user):
    response = as_user(deputy_user).post(URL, {"title": "增加公交线路"}, format="json")
    assert response.status_code == 400
    assert "mandate" in error(response)["fields"]


def test_staff_cannot_create_a_suggestion_for_a_deputy(as_user, mandate, staff):
    response = as_user(staff).post(URL, {"mandate": mandate.pk, "title": "代写"}, format="json")
    assert response.status_code == 403


def test_deputy_patches_a_draft(as_user, mandate, deputy_user):
    draft = f.draft(mandate)
    response = as_user(deputy_user).patch(f"{URL}{draft.pk}/", {"title": "新标题"}, format="json")
    assert response.status_code == 200, response.json()
    draft.refresh_from_db()
    assert draft.title == "新标题"


def test_patch_after_submission_is_409_naming_the_state(as_user, mandate, deputy_user):
    submitted = f.submitted(mandate)
    response = as_user(deputy_user).patch(f"{URL}{submitted.pk}/", {"title": "新标题"}, format="json")
    assert response.status_code == 409
    assert error(response)["code"] == "invalid_transition"
    assert str(Status.SUBMITTED.label) in error(response)["message"]


def test_cosigner_confirms(as_user, congress, mandate):
    other = f.deputy(congress)
    draft = f.draft(mandate)
    services.save_draft(actor=mandate.person.user, suggestion_id=draft.pk, fields={}, cosigner_ids=[other.pk])
    response = act(as_user(other.person.user), draft, "cosign", {"confirm": True})
    assert response.status_code == 200, response.json()
    assert response.json()["cosigners"] == [
        {"mandate": other.pk, "name": other.person.name, "status": "confirmed",
         "responded_at": response.json()["cosigners"][0]["responded_at"]}
    ]  # fmt: skip


def test_deputy_not_invited_cannot_cosign(as_user, congress, mandate):
    draft = f.draft(mandate)
    response = act(as_user(mandate.person.user), draft, "cosign", {"confirm": False})
    assert response.status_code == 403
    assert draft.cosigners.filter(status=CoSignerStatus.DECLINED).count() == 0


def test_deputy_submits(as_user, mandate, deputy_user):
    draft = f.draft(mandate)
    response = act(as_user(deputy_user), draft, "submit")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted"


def test_deputy_withdraws(as_user, mandate, deputy_user):
    submitted = f.submitted(mandate)
    response = act(as_user(deputy_user), submitted, "withdraw", {"reason": "已解决"})
    assert response.json()["status"] == "withdrawn"


# Review and assignment


def test_staff_accept(as_user, mandate, staff):
    response = act(as_user(staff), f.submitted(mandate), "accept")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "accepted"
    assert response.json()["number_label"]


def test_accepting_twice_is_409_naming_the_state(as_user, mandate, staff):
    response = act(as_user(staff), f.accepted(mandate, staff), "accept")
    assert response.status_code == 409
    assert error(response)["code"] == "invalid_transition"
    assert str(Status.ACCEPTED.label) in error(response)["message"]


def test_deputy_cannot_accept_their_own_suggestion(as_user, mandate, deputy_user):
    response = act(as_user(deputy_user), f.submitted(mandate), "accept")
    assert response.status_code == 403
    assert error(response)["code"] == "forbidden"


def test_staff_return_for_revision(as_user, mandate, staff):
    response = act(as_user(staff), f.submitted(mandate), "return", {"comment": "请补充具体措施"})
    assert response.json()["status"] == "returned"
    assert response.json()["review_comment"] == "请补充具体措施"


def test_staff_decline_with_a_reason(as_user, mandate, staff):
    response = act(as_user(staff), f.submitted(mandate), "decline", {"reason": "personal"})
    assert response.json()["status"] == "declined"
    assert response.json()["decline_reason"] == "personal"


def test_decline_with_an_unknown_reason_is_400(as_user, mandate, staff):
    response = act(as_user(staff), f.submitted(mandate), "decline", {"reason": "boring"})
    assert response.status_code == 400
    assert "reason" in error(response)["fields"]


def test_staff_convert_a_motion(as_user, congress, mandate, staff):
    PolicyValue.objects.create(congress=congress, key="motion.cosigner_threshold", value=1)
    response = act(as_user(staff), f.submitted(mandate, kind=Kind.MOTION), "convert")
    assert response.status_code == 200, response.json()
    assert response.json()["kind"] == "suggestion"


def test_staff_merge(as_user, congress, mandate, staff):
    primary = f.accepted(mandate, staff)
    other = f.accepted(f.deputy(congress), staff)
    response = act(as_user(staff), primary, "merge", {"others": [other.pk]})
    assert response.status_code == 200, response.json()
    other.refresh_from_db()
    assert other.merged_into_id == primary.pk


def test_staff_assign_lead_and_co_units(as_user, mandate, staff, lead_unit, co_unit):
    response = act(as_user(staff), f.accepted(mandate, staff), "assign",
                   {"lead": lead_unit[0].pk, "co_units": [co_unit[0].pk]})  # fmt: skip
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "assigned"
    assert {(a["unit"], a["role"]) for a in response.json()["assignments"]} == {
        (lead_unit[0].pk, "lead"), (co_unit[0].pk, "co")
    }  # fmt: skip


def test_staff_assign_separately(as_user, mandate, staff, lead_unit, co_unit):
    response = act(as_user(staff), f.accepted(mandate, staff), "assign",
                   {"separate_units": [lead_unit[0].pk, co_unit[0].pk]})  # fmt: skip
    assert {a["role"] for a in response.json()["assignments"]} == {"separate"}


# Handling by units


def test_unit_confirms_receipt(as_user, mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    response = act(as_user(lead_unit[1]), suggestion, "confirm-receipt")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "in_handling"


def test_unit_action_by_a_deputy_is_403(as_user, mandate, staff, deputy_user, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    assert act(as_user(deputy_user), suggestion, "confirm-receipt").status_code == 403


def test_officer_of_two_units_must_say_which_one_acts(as_user, congress, mandate, staff, lead_unit, co_unit):
    officer = lead_unit[1]
    RoleMembership.objects.create(user=officer, role=Role.UNIT_OFFICER, organisation=co_unit[0])
    suggestion = f.assigned(mandate, staff, lead_unit[0], co=[co_unit[0]])
    client = as_user(officer)
    response = act(client, suggestion, "confirm-receipt")
    assert response.status_code == 400
    assert "unit" in error(response)["fields"]
    assert act(client, suggestion, "confirm-receipt", {"unit": co_unit[0].pk}).status_code == 200
    assert suggestion.assignments.get(unit=co_unit[0]).status == AssignmentStatus.RECEIVED
    assert suggestion.assignments.get(unit=lead_unit[0]).status == AssignmentStatus.ASSIGNED


def test_unit_requests_reassignment(as_user, mandate, staff, lead_unit, co_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0], co=[co_unit[0]])
    response = act(as_user(co_unit[1]), suggestion, "request-reassignment", {"reason": "不属于本单位职责"})
    assert response.status_code == 200, response.json()
    assert ReassignmentRequest.objects.filter(assignment__unit=co_unit[0], status="pending").exists()


def test_staff_approve_reassignment(as_user, mandate, staff, lead_unit, co_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0], co=[co_unit[0]])
    co = suggestion.assignments.get(unit=co_unit[0])
    services.request_reassignment(actor=co_unit[1], assignment_id=co.pk, reason="不属于本单位职责")
    response = act(as_user(staff), suggestion, "decide-reassignment", {"approve": True, "note": "同意"})
    assert response.status_code == 200, response.json()
    co.refresh_from_db()
    assert co.status == AssignmentStatus.RELEASED


def test_deciding_without_a_pending_request_is_409(as_user, mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    response = act(as_user(staff), suggestion, "decide-reassignment", {"approve": True})
    assert response.status_code == 409
    assert str(Status.ASSIGNED.label) in error(response)["message"]


def test_unit_records_a_contact(as_user, mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    contact = {"date": timezone.localdate().isoformat(), "mode": "face_to_face", "summary": "当面沟通"}
    response = act(as_user(lead_unit[1]), suggestion, "record-contact", contact)
    assert response.status_code == 200, response.json()
    assert suggestion.assignments.get().contacts.count() == 1


def test_co_unit_sends_its_opinion(as_user, mandate, staff, lead_unit, co_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0], co=[co_unit[0]])
    client = as_user(co_unit[1])
    act(client, suggestion, "confirm-receipt")
    response = act(client, suggestion, "co-opinion", {"opinion": "同意安排经费"})
    assert response.status_code == 200, response.json()
    assert suggestion.assignments.get(unit=co_unit[0]).status == AssignmentStatus.DONE


def test_unit_saves_its_plan(as_user, mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    client = as_user(lead_unit[1])
    act(client, suggestion, "confirm-receipt")
    assert act(client, suggestion, "save-plan", {"plan": "三月内调研"}).status_code == 200
    assert suggestion.assignments.get().handling_plan == "三月内调研"


def test_unit_replies_with_a_signed_pdf(as_user, mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    client = as_user(lead_unit[1])
    act(client, suggestion, "confirm-receipt")
    response = act(client, suggestion, "reply", {"text": "已延长课后服务时间。", "result": "A", "letter": f.pdf()},
                   format="multipart")  # fmt: skip
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "replied"
    assert response.json()["assignments"][0]["replies"][0]["result"] == "A"


def test_reply_with_a_non_pdf_letter_is_400(as_user, mandate, staff, lead_unit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    suggestion = f.assigned(mandate, staff, lead_unit[0])
    client = as_user(lead_unit[1])
    act(client, suggestion, "confirm-receipt")
    letter = SimpleUploadedFile("letter.pdf", b"not a pdf", content_type="application/pdf")
    response = act(client, suggestion, "reply", {"text": "答复", "result": "A", "letter": letter}, format="multipart")
    assert response.status_code == 400
    assert "letter" in error(response)["fields"]


def test_unit_requests_an_extension(as_user, mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    client = as_user(lead_unit[1])
    act(client, suggestion, "confirm-receipt")
    response = act(client, suggestion, "request-extension", {"months": 2, "reason": "需跨部门协调"})
    assert response.status_code == 200, response.json()
    assert ExtensionRequest.objects.filter(assignment__suggestion=suggestion, status="pending").exists()


def test_staff_grant_an_extension(as_user, mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    lead = suggestion.assignments.get()
    services.confirm_receipt(actor=lead_unit[1], assignment_id=lead.pk)
    services.request_extension(actor=lead_unit[1], assignment_id=lead.pk, months=2, reason="需跨部门协调")
    before = lead.reply_due
    response = act(as_user(staff), suggestion, "decide-extension", {"approve": True})
    assert response.status_code == 200, response.json()
    lead.refresh_from_db()
    assert (lead.extension_months, lead.reply_due > before) == (2, True)


def test_unit_reports_a_followed_up_item_solved(as_user, mandate, staff, deputy_user, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    answer = f.reply_to(suggestion.assignments.get(), lead_unit[1], result="B")
    services.give_feedback(actor=deputy_user, suggestion_id=suggestion.pk, reply_id=answer.pk,
                           on_result="satisfied", on_attitude="satisfied")  # fmt: skip
    response = act(as_user(lead_unit[1]), suggestion, "report-solved", {"note": "经费已到位"})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "closed"


# The deputy after the reply, staff decisions and publication


def test_deputy_gives_feedback(as_user, mandate, staff, deputy_user, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    answer = f.reply_to(suggestion.assignments.get(), lead_unit[1])
    response = act(as_user(deputy_user), suggestion, "feedback",
                   {"reply": answer.pk, "on_result": "satisfied", "on_attitude": "satisfied"})  # fmt: skip
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "closed"


def test_dissatisfied_feedback_without_comment_is_400(as_user, mandate, staff, deputy_user, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    answer = f.reply_to(suggestion.assignments.get(), lead_unit[1])
    response = act(as_user(deputy_user), suggestion, "feedback",
                   {"reply": answer.pk, "on_result": "dissatisfied", "on_attitude": "satisfied"})  # fmt: skip
    assert response.status_code == 400
    assert "comment" in error(response)["fields"]


def test_staff_close_a_twice_disputed_suggestion(as_user, mandate, staff, deputy_user, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    lead = suggestion.assignments.get()
    for _ in range(2):
        answer = f.reply_to(lead, lead_unit[1])
        services.give_feedback(actor=deputy_user, suggestion_id=suggestion.pk, reply_id=answer.pk,
                               on_result="dissatisfied", on_attitude="satisfied", comment="仍未解决")  # fmt: skip
        lead.refresh_from_db()
    response = act(as_user(staff), suggestion, "close", {"decision": "主任会议决定办结"})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "closed"


def test_deputy_objects_to_publication(as_user, mandate, staff, deputy_user):
    suggestion = f.accepted(mandate, staff)
    response = act(as_user(deputy_user), suggestion, "object", {"reason": "涉及个人隐私"})
    assert response.status_code == 200, response.json()
    suggestion.refresh_from_db()
    assert suggestion.disclosure_objection == "涉及个人隐私"


def test_staff_publish_a_replied_suggestion(as_user, mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    f.reply_to(suggestion.assignments.get(), lead_unit[1])
    response = act(as_user(staff), suggestion, "publish")
    assert response.status_code == 200, response.json()
    assert response.json()["published_at"]


def test_action_repeated_with_the_same_idempotency_key_acts_once(as_user, mandate, staff):
    submitted = f.submitted(mandate)
    client = as_user(staff)
    first = act(client, submitted, "accept", HTTP_IDEMPOTENCY_KEY="accept-1")
    again = act(client, submitted, "accept", HTTP_IDEMPOTENCY_KEY="accept-1")
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert act(client, submitted, "accept").status_code == 409  # without the key it acts (and is refused)


def test_reply_upload_repeated_with_the_same_key_replies_once(as_user, mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    client = as_user(lead_unit[1])
    act(client, suggestion, "confirm-receipt")
    responses = [
        act(client, suggestion, "reply", {"text": "答复", "result": "A", "letter": f.pdf()}, format="multipart",
            HTTP_IDEMPOTENCY_KEY="reply-1")
        for _ in range(2)
    ]  # fmt: skip
    assert [r.status_code for r in responses] == [200, 200]
    assert suggestion.assignments.get().replies.count() == 1


# Assignments, categories and key supervision


def test_unit_lists_its_assignments(as_user, mandate, staff, lead_unit, co_unit):
    f.assigned(mandate, staff, co_unit[0])
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    response = as_user(lead_unit[1]).get("/api/v1/assignments/")
    assert ids(response) == [suggestion.assignments.get().pk]


def test_assignments_filter_overdue_and_status(as_user, mandate, staff, lead_unit):
    late = f.assigned(mandate, staff, lead_unit[0]).assignments.get()
    Assignment.objects.filter(pk=late.pk).update(reply_due=timezone.localdate() - timedelta(days=1))
    received = f.assigned(mandate, staff, lead_unit[0]).assignments.get()
    services.confirm_receipt(actor=lead_unit[1], assignment_id=received.pk)
    client = as_user(staff)
    assert ids(client.get("/api/v1/assignments/", {"overdue": "true"})) == [late.pk]
    assert ids(client.get("/api/v1/assignments/", {"status": "received"})) == [received.pk]
    assert ids(client.get("/api/v1/assignments/", {"unit": lead_unit[0].pk, "session": "between"})) == [
        received.pk, late.pk
    ]  # fmt: skip


def test_staff_create_a_category(as_user, congress, staff):
    response = as_user(staff).post("/api/v1/suggestion-categories/", {"congress": congress.pk, "name": "生态环境"},
                                   format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["name"] == "生态环境"


def test_deputy_cannot_create_a_category(as_user, congress, deputy_user):
    response = as_user(deputy_user).post("/api/v1/suggestion-categories/", {"congress": congress.pk, "name": "其他"},
                                         format="json")  # fmt: skip
    assert response.status_code == 403


def test_deputy_lists_categories_of_their_congress(as_user, congress, deputy_user):
    category = f.CategoryFactory(congress=congress)
    assert ids(as_user(deputy_user).get("/api/v1/suggestion-categories/")) == [category.pk]


def test_staff_create_a_key_supervision_item(as_user, congress, mandate, staff):
    chosen = f.accepted(mandate, staff)
    response = as_user(staff).post(
        "/api/v1/key-supervisions/",
        {"congress": congress.pk, "year": 2026, "title": "课后服务", "leader": staff.pk, "suggestion_ids": [chosen.pk]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["suggestions"] == [chosen.pk]
    assert response.json()["total"] == 1


def test_supervisor_adds_a_progress_note(as_user, congress, staff):
    item = KeySupervision.objects.create(congress=congress, year=2026, title="课后服务", leader=staff)
    response = as_user(staff).post(f"/api/v1/key-supervisions/{item.pk}/notes/", {"text": "实地督办"}, format="json")
    assert response.status_code == 201, response.json()
    assert SupervisionNote.objects.filter(item=item, text="实地督办").exists()


def test_supervisor_closes_an_item(as_user, congress, staff):
    item = KeySupervision.objects.create(congress=congress, year=2026, title="课后服务", leader=staff)
    response = as_user(staff).post(f"/api/v1/key-supervisions/{item.pk}/close/", {"report": "已办结"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["closed_at"]


def test_deputy_cannot_see_key_supervision_items(as_user, congress, staff, deputy_user):
    KeySupervision.objects.create(congress=congress, year=2026, title="课后服务", leader=staff)
    assert ids(as_user(deputy_user).get("/api/v1/key-supervisions/")) == []


@pytest.mark.parametrize("path", ["/api/v1/assignments/", "/api/v1/suggestion-categories/",
                                  "/api/v1/key-supervisions/"])  # fmt: skip
def test_other_lists_query_count_does_not_grow_with_rows(as_user, congress, mandate, staff, lead_unit, path,
                                                         django_assert_max_num_queries):  # fmt: skip
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_rows(n):
        for index in range(n):
            suggestion = f.assigned(mandate, staff, lead_unit[0])
            f.reply_to(suggestion.assignments.get(), lead_unit[1])
            f.CategoryFactory(congress=congress, name=f"类别{path}{index}{n}")
            item = KeySupervision.objects.create(congress=congress, year=2026, title=f"督办{index}{n}", leader=staff)
            item.suggestions.add(suggestion)

    client = as_user(staff)
    add_rows(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(path).status_code == 200
    add_rows(4)
    with django_assert_max_num_queries(len(one)):
        assert client.get(path).status_code == 200
