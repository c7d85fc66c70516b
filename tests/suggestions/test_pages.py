"""The suggestion web pages: each role's page, the actions posted from the detail page, the public pages."""

import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from openpyxl import load_workbook

from congress import tallies
from suggestions import services
from suggestions.models import Assignment, AssignmentStatus, Feedback, KeySupervision, Status, Suggestion
from tests import factories as core

from . import factories as f

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def levels(response) -> list[str]:
    return [m.level_tag for m in get_messages(response.wsgi_request)]


def detail_url(suggestion):
    return reverse("suggestions:detail", args=[suggestion.pk])


def act(client, suggestion, action, data=None):
    return client.post(reverse("suggestions:act", args=[suggestion.pk, action]), data or {})


def act_on(client, assignment, action, data=None):
    return client.post(reverse("suggestions:act_on_assignment", args=[assignment.pk, action]), data or {})


def form_data(mandate, category, **extra):
    return {"mandate": mandate.pk, "kind": "suggestion", "title": "加强中小学课后服务", "content": f.CONTENT,
            "category": category.pk, "session": "", **extra}  # fmt: skip


def replied(mandate, staff, unit, officer, **fields):
    suggestion = f.assigned(mandate, staff, unit, **fields)
    answer = f.reply_to(suggestion.assignments.get(), officer)
    return suggestion, answer


# The deputy's pages


def test_my_suggestions_lists_the_deputys_own(client, mandate, deputy_user):
    suggestion = f.draft(mandate)
    client.force_login(deputy_user)
    response = client.get(reverse("suggestions:mine"))
    assert response.status_code == 200
    assert suggestion.title in response.content.decode()


def test_my_suggestions_is_refused_to_staff(client, staff):
    client.force_login(staff)
    assert client.get(reverse("suggestions:mine")).status_code == 403


def test_my_suggestions_asks_an_anonymous_visitor_to_log_in(client):
    response = client.get(reverse("suggestions:mine"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_my_suggestions_shows_a_reply_waiting_for_feedback(client, mandate, deputy_user, staff, lead_unit):
    suggestion, answer = replied(mandate, staff, *lead_unit)
    client.force_login(deputy_user)
    body = client.get(reverse("suggestions:mine")).content.decode()
    assert f"#reply-{answer.pk}" in body


def test_deputy_form_creates_and_submits_a_suggestion(client, mandate, deputy_user):
    category = f.CategoryFactory(congress=mandate.congress)
    client.force_login(deputy_user)
    response = client.post(reverse("suggestions:new"), form_data(mandate, category, submit="1"))
    suggestion = Suggestion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(suggestion)
    assert suggestion.status == Status.SUBMITTED
    assert (suggestion.lead_id, suggestion.category_id) == (mandate.pk, category.pk)


def test_save_draft_works_without_javascript(client, mandate, deputy_user):
    client.force_login(deputy_user)
    response = client.post(reverse("suggestions:new"), {"mandate": mandate.pk, "kind": "motion", "title": "半截"})
    suggestion = Suggestion.objects.get()
    assert response["Location"] == reverse("suggestions:edit", args=[suggestion.pk])
    assert (suggestion.status, suggestion.kind, suggestion.title) == (Status.DRAFT, "motion", "半截")


def test_incomplete_submission_keeps_the_draft_and_shows_the_fields(client, mandate, deputy_user):
    client.force_login(deputy_user)
    response = client.post(reverse("suggestions:new"), {"mandate": mandate.pk, "kind": "suggestion",
                                                        "title": "标题", "submit": "1"})  # fmt: skip
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"content", "category"}
    assert Suggestion.objects.get().status == Status.DRAFT


def test_deputy_attaches_a_file_to_a_draft(client, mandate, deputy_user):
    client.force_login(deputy_user)
    client.post(reverse("suggestions:new"), {"mandate": mandate.pk, "kind": "suggestion", "title": "附件",
                                             "files": f.pdf("调研报告.pdf")})  # fmt: skip
    attachment = Suggestion.objects.get().attachments.get()
    assert attachment.content_type == "application/pdf"
    assert client.get(reverse("suggestions:attachment", args=[attachment.pk])).status_code == 200


def test_deputy_chooses_cosigners_of_the_same_congress(client, congress, mandate, deputy_user):
    other = f.deputy(congress)
    client.force_login(deputy_user)
    client.post(reverse("suggestions:new"), {"mandate": mandate.pk, "kind": "suggestion", "title": "联名",
                                             "cosigners": [other.pk]})  # fmt: skip
    assert list(Suggestion.objects.get().cosigners.values_list("mandate_id", flat=True)) == [other.pk]


def test_a_suspended_colleague_as_cosigner_is_refused_and_nothing_is_saved(client, congress, mandate, deputy_user):
    stranger = f.deputy(congress)
    type(stranger).objects.filter(pk=stranger.pk).update(status="suspended")
    client.force_login(deputy_user)
    response = client.post(reverse("suggestions:new"), {"mandate": mandate.pk, "kind": "suggestion",
                                                        "title": "联名", "cosigners": [stranger.pk]})  # fmt: skip
    assert response.status_code == 200 and "cosigners" in response.context["form"].errors
    assert not Suggestion.objects.exists()


def test_a_form_shown_again_offers_every_colleague_not_only_those_chosen(client, congress, mandate, deputy_user):
    chosen, other = f.deputy(congress), f.deputy(congress)
    client.force_login(deputy_user)
    data = {"mandate": mandate.pk, "kind": "suggestion", "title": "联名", "cosigners": [chosen.pk], "submit": "1"}
    response = client.post(reverse("suggestions:new"), data)
    offered = {value for value, _label in response.context["form"].fields["cosigners"].choices}
    assert response.status_code == 200 and {chosen.pk, other.pk} <= offered


def test_autosave_creates_the_draft_then_saves_it(client, mandate, deputy_user):
    client.force_login(deputy_user)
    url = reverse("suggestions:autosave")
    first = client.post(url, {"mandate": mandate.pk, "kind": "suggestion", "title": "自动保存"}).json()
    second = client.post(url, {"suggestion": first["id"], "kind": "suggestion", "title": "自动保存",
                               "content": "写了一半"}).json()  # fmt: skip
    suggestion = Suggestion.objects.get()
    assert first["id"] == second["id"] == suggestion.pk
    assert first["edit_url"] == reverse("suggestions:edit", args=[suggestion.pk])
    assert (suggestion.status, suggestion.content) == (Status.DRAFT, "写了一半")
    assert second["saved_at"] in second["message"]


def test_autosave_reports_a_submitted_suggestion_as_not_editable(client, mandate, deputy_user):
    suggestion = f.submitted(mandate)
    client.force_login(deputy_user)
    response = client.post(reverse("suggestions:autosave"), {"suggestion": suggestion.pk, "kind": "suggestion"})
    assert response.status_code == 409
    assert response.json()["errors"]


def test_autosave_is_refused_to_staff(client, staff):
    client.force_login(staff)
    assert client.post(reverse("suggestions:autosave"), {"kind": "suggestion"}).status_code == 403


def test_edit_page_shows_what_the_office_asked_to_revise(client, mandate, deputy_user, staff):
    suggestion = f.submitted(mandate)
    services.return_for_revision(actor=staff, suggestion_id=suggestion.pk, comment="请补充具体措施")
    client.force_login(deputy_user)
    response = client.get(reverse("suggestions:edit", args=[suggestion.pk]))
    assert "请补充具体措施" in response.content.decode()
    assert response.context["form"].initial["title"] == suggestion.title


def test_submitted_suggestion_cannot_be_edited(client, mandate, deputy_user):
    suggestion = f.submitted(mandate)
    client.force_login(deputy_user)
    response = client.get(reverse("suggestions:edit", args=[suggestion.pk]))
    assert response["Location"] == detail_url(suggestion)


def test_another_deputy_cannot_edit_a_draft(client, congress, mandate):
    suggestion = f.draft(mandate)
    client.force_login(f.deputy(congress).person.user)
    assert client.get(reverse("suggestions:edit", args=[suggestion.pk])).status_code == 404


def test_form_page_loads_the_autosave_script(client, mandate, deputy_user):
    client.force_login(deputy_user)
    body = client.get(reverse("suggestions:new")).content.decode()
    assert "suggestions/autosave.js" in body
    assert reverse("suggestions:autosave") in body


def test_cosigner_confirms_from_my_suggestions(client, congress, mandate, deputy_user):
    other = f.deputy(congress)
    suggestion = f.draft(mandate)
    services.save_draft(actor=deputy_user, suggestion_id=suggestion.pk, fields={}, cosigner_ids=[other.pk])
    cosigner = suggestion.cosigners.get()
    client.force_login(other.person.user)
    assert suggestion.title in client.get(reverse("suggestions:mine")).content.decode()
    client.post(reverse("suggestions:cosign", args=[cosigner.pk]), {"confirm": "yes"})
    cosigner.refresh_from_db()
    assert cosigner.status == "confirmed"


def test_deputy_withdraws_from_the_detail_page(client, mandate, deputy_user):
    suggestion = f.submitted(mandate)
    client.force_login(deputy_user)
    act(client, suggestion, "withdraw", {"reason": "问题已解决"})
    assert Suggestion.objects.get().status == Status.WITHDRAWN


def test_deputy_objects_to_publication(client, mandate, deputy_user, staff):
    suggestion = f.accepted(mandate, staff)
    client.force_login(deputy_user)
    act(client, suggestion, "object", {"reason": "涉及个人隐私"})
    assert Suggestion.objects.get().disclosure_objection == "涉及个人隐私"


def test_deputy_gives_feedback_on_a_reply(client, mandate, deputy_user, staff, lead_unit):
    suggestion, answer = replied(mandate, staff, *lead_unit)
    client.force_login(deputy_user)
    assert f'id="id_feedback-{answer.pk}_on_result' in client.get(detail_url(suggestion)).content.decode()
    response = act(client, suggestion, "feedback", {"reply": answer.pk, "on_result": "satisfied",
                                                    "on_attitude": "basically_satisfied"})  # fmt: skip
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.reply_id, feedback.on_attitude) == (answer.pk, "basically_satisfied")


def test_dissatisfied_feedback_without_a_comment_is_a_field_error(client, mandate, deputy_user, staff, lead_unit):
    suggestion, answer = replied(mandate, staff, *lead_unit)
    client.force_login(deputy_user)
    response = act(client, suggestion, "feedback", {"reply": answer.pk, "on_result": "dissatisfied",
                                                    "on_attitude": "satisfied"})  # fmt: skip
    assert response.status_code == 200
    assert "comment" in response.context["assignments"][0].reply_list[0].panel.form.errors
    assert not Feedback.objects.exists()


def test_deputy_downloads_the_signed_letter(client, mandate, deputy_user, staff, lead_unit):
    suggestion, answer = replied(mandate, staff, *lead_unit)
    client.force_login(deputy_user)
    response = client.get(reverse("suggestions:letter", args=[answer.pk]))
    assert response["Content-Type"] == "application/pdf"


# The detail page and staff actions


def test_detail_page_is_not_found_for_an_outsider(client, mandate):
    suggestion = f.submitted(mandate)
    client.force_login(core.UserFactory())
    assert client.get(detail_url(suggestion)).status_code == 404


def test_staff_do_not_see_a_deputys_draft(client, mandate, staff):
    suggestion = f.draft(mandate)
    client.force_login(staff)
    assert client.get(detail_url(suggestion)).status_code == 404


def test_detail_offers_staff_the_review_actions_only(client, mandate, staff):
    suggestion = f.submitted(mandate)
    client.force_login(staff)
    response = client.get(detail_url(suggestion))
    assert [p.key for p in response.context["panels"]] == ["accept", "return", "decline"]
    assert response.context["history"] is not None


def test_detail_offers_the_deputy_no_staff_action(client, mandate, deputy_user):
    suggestion = f.submitted(mandate)
    client.force_login(deputy_user)
    response = client.get(detail_url(suggestion))
    assert [p.key for p in response.context["panels"]] == ["withdraw"]
    assert response.context["history"] is None


def test_staff_accept_from_the_detail_page(client, mandate, staff):
    suggestion = f.submitted(mandate)
    client.force_login(staff)
    response = act(client, suggestion, "accept")
    assert response["Location"] == detail_url(suggestion)
    suggestion.refresh_from_db()
    assert suggestion.status == Status.ACCEPTED
    assert suggestion.number_label


def test_staff_return_with_a_comment(client, mandate, staff):
    suggestion = f.submitted(mandate)
    client.force_login(staff)
    act(client, suggestion, "return", {"comment": "请补充具体措施"})
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.review_comment) == (Status.RETURNED, "请补充具体措施")


def test_return_without_a_comment_shows_the_field_error(client, mandate, staff):
    suggestion = f.submitted(mandate)
    client.force_login(staff)
    response = act(client, suggestion, "return", {"comment": ""})
    assert response.status_code == 200
    panel = next(p for p in response.context["panels"] if p.key == "return")
    assert panel.open and "comment" in panel.form.errors
    assert Suggestion.objects.get().status == Status.SUBMITTED


def test_staff_decline_with_a_reason(client, mandate, staff):
    suggestion = f.submitted(mandate)
    client.force_login(staff)
    act(client, suggestion, "decline", {"reason": "litigation", "comment": "已进入诉讼程序"})
    assert Suggestion.objects.get().decline_reason == "litigation"


def test_staff_assign_to_a_lead_and_a_co_unit(client, mandate, staff, lead_unit, co_unit):
    suggestion = f.accepted(mandate, staff)
    client.force_login(staff)
    response = act(client, suggestion, "assign", {"mode": "lead", "lead": lead_unit[0].pk,
                                                  "co_units": [co_unit[0].pk]})  # fmt: skip
    assert response.status_code == 302
    roles = dict(Assignment.objects.values_list("unit_id", "role"))
    assert roles == {lead_unit[0].pk: "lead", co_unit[0].pk: "co"}
    assert Suggestion.objects.get().status == Status.ASSIGNED


def test_assign_without_a_lead_unit_is_a_field_error(client, mandate, staff):
    suggestion = f.accepted(mandate, staff)
    client.force_login(staff)
    response = act(client, suggestion, "assign", {"mode": "lead"})
    panel = next(p for p in response.context["panels"] if p.key == "assign")
    assert "lead" in panel.form.errors
    assert not Assignment.objects.exists()


def test_staff_assign_separately_to_units(client, mandate, staff, lead_unit, co_unit):
    suggestion = f.accepted(mandate, staff)
    client.force_login(staff)
    act(client, suggestion, "assign", {"mode": "separate", "separate_units": [lead_unit[0].pk, co_unit[0].pk]})
    assert set(Assignment.objects.values_list("role", flat=True)) == {"separate"}


def test_staff_merge_suggestions_from_the_detail_page(client, congress, mandate, staff):
    primary = f.accepted(mandate, staff)
    other = f.accepted(f.deputy(congress), staff)
    client.force_login(staff)
    act(client, primary, "merge", {"suggestions": [other.pk]})
    assert Suggestion.objects.get(pk=other.pk).merged_into_id == primary.pk


def test_staff_publish_over_an_objection_with_a_note(client, mandate, deputy_user, staff, lead_unit):
    suggestion, _answer = replied(mandate, staff, *lead_unit)
    services.object_to_disclosure(actor=deputy_user, suggestion_id=suggestion.pk, reason="不愿公开")
    client.force_login(staff)
    act(client, suggestion, "publish", {})
    assert Suggestion.objects.get().published_at is None
    act(client, suggestion, "publish", {"override_objection": "on", "note": "涉及公共利益"})
    assert Suggestion.objects.get().published_at is not None


def test_staff_decide_a_reassignment_request(client, mandate, staff, lead_unit, co_unit):
    unit, officer = lead_unit
    suggestion = f.assigned(mandate, staff, unit)
    assignment = suggestion.assignments.get()
    services.request_reassignment(actor=officer, assignment_id=assignment.pk, reason="不属本单位职责")
    client.force_login(staff)
    keys = [p.key for p in client.get(detail_url(suggestion)).context["assignments"][0].panels]
    assert keys == [f"decide_reassignment-{assignment.pk}"]
    act_on(client, assignment, "decide_reassignment", {"decision": "approve", "new_unit": co_unit[0].pk})
    assert Assignment.objects.get(unit=co_unit[0]).role == "lead"


def test_bulk_assign_reports_each_failure(client, congress, mandate, staff, lead_unit):
    ready = f.accepted(mandate, staff)
    waiting = f.submitted(f.deputy(congress))
    client.force_login(staff)
    response = client.post(reverse("suggestions:bulk_assign"), {"ids": [ready.pk, waiting.pk],
                                                                "lead": lead_unit[0].pk})  # fmt: skip
    assert response["Location"] == reverse("suggestions:review")
    assert sorted(levels(response)) == ["error", "success"]
    assert list(Assignment.objects.values_list("suggestion_id", flat=True)) == [ready.pk]


def test_bulk_assign_without_ticks_says_so(client, staff, lead_unit):
    client.force_login(staff)
    response = client.post(reverse("suggestions:bulk_assign"), {"lead": lead_unit[0].pk})
    assert levels(response) == ["error"]


# Staff lists


def test_review_list_filters_between_sessions(client, mandate, staff):
    from tests.factories import SessionFactory

    between = f.submitted(mandate, title="闭会期间的建议")
    f.submitted(mandate, title="大会期间的建议", session=SessionFactory(term=mandate.term, number=3))
    client.force_login(staff)
    response = client.get(reverse("suggestions:review"), {"session": "between"})
    assert [s.pk for s in response.context["page"]] == [between.pk]


def test_review_list_is_refused_to_a_unit_officer(client, lead_unit):
    client.force_login(lead_unit[1])
    assert client.get(reverse("suggestions:review")).status_code == 403


def test_review_list_queries_do_not_grow_with_rows(client, congress, staff, lead_unit, django_assert_max_num_queries):
    for _ in range(6):
        f.assigned(f.deputy(congress), staff, lead_unit[0])
    f.submitted(f.deputy(congress))
    client.force_login(staff)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("suggestions:review"))
    assert len(response.context["page"]) == 7


def test_statistics_page_renders_for_staff(client, mandate, staff, lead_unit):
    f.assigned(mandate, staff, lead_unit[0])
    tallies.refresh()  # what the periodic task does
    client.force_login(staff)
    response = client.get(reverse("suggestions:statistics"), {"session": "between"})
    assert response.status_code == 200
    assert lead_unit[0].name in response.content.decode()


def test_statistics_page_renders_for_a_supervisor(client, congress):
    from congress.models import Role, RoleMembership

    supervisor = core.UserFactory()
    RoleMembership.objects.create(user=supervisor, role=Role.SUPERVISOR, congress=congress)
    client.force_login(supervisor)
    assert client.get(reverse("suggestions:statistics")).context["congress"] == congress


def test_statistics_is_refused_to_a_deputy(client, deputy_user):
    client.force_login(deputy_user)
    assert client.get(reverse("suggestions:statistics")).status_code == 403


def test_statistics_export_is_an_xlsx_workbook(client, mandate, staff, lead_unit):
    f.assigned(mandate, staff, lead_unit[0])
    tallies.refresh()
    client.force_login(staff)
    response = client.get(reverse("suggestions:statistics_export"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 4
    units = list(book.worksheets[1].iter_rows(values_only=True))
    assert units[1][0] == lead_unit[0].name


def test_statistics_queries_do_not_grow_with_rows(client, congress, staff, lead_unit, co_unit,
                                                  django_assert_max_num_queries):  # fmt: skip
    for _ in range(5):
        f.assigned(f.deputy(congress), staff, lead_unit[0], co=[co_unit[0]])
    tallies.refresh()
    client.force_login(staff)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("suggestions:statistics"))
    assert len(response.context["stats"]["units"]) == 2


# Handling units


def test_unit_portal_lists_the_units_assignments(client, mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    client.force_login(lead_unit[1])
    response = client.get(reverse("suggestions:unit"))
    assert [a.suggestion_id for a in response.context["page"]] == [suggestion.pk]
    assert response.context["page"][0].light == "green"


def test_unit_portal_is_refused_to_a_deputy(client, deputy_user):
    client.force_login(deputy_user)
    assert client.get(reverse("suggestions:unit")).status_code == 403


def test_unit_confirms_receipt_inline_from_the_portal(client, mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    assignment = suggestion.assignments.get()
    client.force_login(lead_unit[1])
    portal = reverse("suggestions:unit")
    response = act_on(client, assignment, "confirm_receipt", {"next": portal})
    assert response["Location"] == portal
    assert Assignment.objects.get().status == AssignmentStatus.RECEIVED


def test_unit_replies_with_a_signed_pdf(client, mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    assignment = suggestion.assignments.get()
    services.confirm_receipt(actor=lead_unit[1], assignment_id=assignment.pk)
    client.force_login(lead_unit[1])
    response = act_on(client, assignment, "reply", {"text": "经研究，已延长课后服务时间。", "result": "A",
                                                    "letter": f.pdf()})  # fmt: skip
    assert response.status_code == 302
    answer = assignment.replies.get()
    assert answer.letter.name.endswith(".pdf")
    assert Suggestion.objects.get().status == Status.REPLIED


def test_reply_in_category_b_without_follow_up_shows_the_field_error(client, mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    assignment = suggestion.assignments.get()
    services.confirm_receipt(actor=lead_unit[1], assignment_id=assignment.pk)
    client.force_login(lead_unit[1])
    response = act_on(client, assignment, "reply", {"text": "正在研究。", "result": "B", "letter": f.pdf()})
    assert response.status_code == 200
    panel = next(p for p in response.context["assignments"][0].panels if p.key == f"reply-{assignment.pk}")
    assert "follow_up_plan" in panel.form.errors


def test_unit_records_a_contact_with_the_deputy(client, mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    assignment = suggestion.assignments.get()
    client.force_login(lead_unit[1])
    act_on(client, assignment, "record_contact", {"date": assignment.assigned_on.isoformat(), "mode": "face_to_face",
                                                  "summary": "当面听取代表意见"})  # fmt: skip
    assert assignment.contacts.get().mode == "face_to_face"


def test_co_unit_sees_only_its_own_actions(client, mandate, staff, lead_unit, co_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0], co=[co_unit[0]])
    client.force_login(co_unit[1])
    response = client.get(detail_url(suggestion))
    panels = {a.unit.pk: [p.key.split("-")[0] for p in a.panels] for a in response.context["assignments"]}
    assert panels[lead_unit[0].pk] == []
    assert "co_opinion" not in panels[co_unit[0].pk]  # only after receipt
    assert "confirm_receipt" in panels[co_unit[0].pk]


def test_unit_portal_queries_do_not_grow_with_rows(client, congress, staff, lead_unit, django_assert_max_num_queries):
    for _ in range(6):
        f.assigned(f.deputy(congress), staff, lead_unit[0])
    client.force_login(lead_unit[1])
    # The page's ids are chosen on the assignments alone, then its rows read with their joins: one query more
    # than a joined page, and one index range instead of every assignment of the units (issue 25).
    with django_assert_max_num_queries(10):
        response = client.get(reverse("suggestions:unit"))
    assert len(response.context["page"]) == 6


# Key supervision


def test_staff_create_a_key_item_with_suggestions(client, congress, mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    client.force_login(staff)
    response = client.post(reverse("suggestions:supervision_new"), {
        "congress": congress.pk, "year": 2025, "title": "课后服务", "leader": staff.pk,
        "suggestions": [suggestion.pk],
    })  # fmt: skip
    item = KeySupervision.objects.get()
    assert response["Location"] == reverse("suggestions:supervision_detail", args=[item.pk])
    assert list(item.suggestions.all()) == [suggestion]


def test_supervisor_sends_a_notice_to_a_unit(client, congress, mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    item = KeySupervision(congress=congress, year=2025, title="课后服务", leader=staff)
    services.save_key_item(actor=staff, item=item, suggestion_ids=[suggestion.pk])
    client.force_login(staff)
    url = reverse("suggestions:supervision_detail", args=[item.pk])
    client.post(url, {"action": "progress", "text": "请加快办理", "unit": lead_unit[0].pk})
    assert item.notes.get().unit == lead_unit[0]


def test_supervision_list_renders_for_staff(client, congress, staff):
    services.save_key_item(actor=staff, item=KeySupervision(congress=congress, year=2025, title="养老服务",
                                                            leader=staff))  # fmt: skip
    client.force_login(staff)
    assert "养老服务" in client.get(reverse("suggestions:supervision")).content.decode()


def test_supervision_is_refused_to_a_unit_officer(client, lead_unit):
    client.force_login(lead_unit[1])
    assert client.get(reverse("suggestions:supervision")).status_code == 403


# Public pages


def published(mandate, staff, lead_unit, content):
    suggestion, _answer = replied(mandate, staff, *lead_unit, content=content)
    return services.publish(actor=staff, suggestion_id=suggestion.pk)


def test_public_list_shows_published_text_without_the_phone(client, mandate, staff, lead_unit):
    content = f"{f.CONTENT}联系人手机{PHONE}。"
    suggestion = published(mandate, staff, lead_unit, content)
    response = client.get(reverse("suggestions:public"))
    body = response.content.decode()
    assert response.status_code == 200
    assert suggestion.public_title in body and suggestion.number_label in body
    assert PHONE not in body


def test_public_detail_shows_the_scrubbed_content_and_reply(client, mandate, staff, lead_unit):
    suggestion = published(mandate, staff, lead_unit, f"{f.CONTENT}联系人手机{PHONE}。")
    body = client.get(reverse("suggestions:public_detail", args=[suggestion.pk])).content.decode()
    assert "延长至下午六点" in body and "已延长课后服务时间" in body
    assert PHONE not in body
    assert mandate.person.name not in body and mandate.person.phone not in body


def test_unpublished_suggestion_is_not_public(client, mandate, staff, lead_unit):
    suggestion, _answer = replied(mandate, staff, *lead_unit)
    assert client.get(reverse("suggestions:public_detail", args=[suggestion.pk])).status_code == 404


def test_public_list_filters_by_text(client, mandate, staff, lead_unit):
    suggestion = published(mandate, staff, lead_unit, f.CONTENT)
    url = reverse("suggestions:public")
    assert client.get(url, {"q": "不存在的标题"}).context["page"].paginator.count == 0
    assert list(client.get(url, {"q": suggestion.public_title[:4]}).context["page"]) == [suggestion]


# The deputy's to-do on the landing page and at the top of their list


def test_landing_page_counts_the_replies_waiting_for_feedback(client, mandate, deputy_user, staff, lead_unit):
    replied(mandate, staff, *lead_unit)
    client.force_login(deputy_user)
    body = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("suggestions:mine")}#feedback"' in body


def test_landing_page_counts_no_feedback_when_none_is_owed(client, mandate, deputy_user):
    f.submitted(mandate)
    client.force_login(deputy_user)
    tiles = client.get(reverse("home")).context["tiles"]
    assert [tile.count for tile in tiles if tile.url.endswith("#feedback")] == [0]


def test_landing_page_links_the_requests_to_co_sign(client, congress, mandate, deputy_user):
    other = f.deputy(congress)
    suggestion = f.draft(mandate)
    services.save_draft(actor=deputy_user, suggestion_id=suggestion.pk, fields={}, cosigner_ids=[other.pk])
    client.force_login(other.person.user)
    assert f'href="{reverse("suggestions:mine")}#cosign"' in client.get(reverse("home")).content.decode()


def test_replies_to_rate_are_listed_whatever_page_their_suggestion_is_on(
    client, mandate, deputy_user, staff, lead_unit
):
    _suggestion, answer = replied(mandate, staff, *lead_unit)
    for _ in range(50):  # later suggestions push the replied one to the second page of the list
        f.draft(mandate)
    client.force_login(deputy_user)
    response = client.get(reverse("suggestions:mine"))
    assert [reply.pk for _s, reply in response.context["feedback"]] == [answer.pk]


def test_a_rated_reply_leaves_the_list_to_rate(client, mandate, deputy_user, staff, lead_unit):
    suggestion, answer = replied(mandate, staff, *lead_unit)
    services.give_feedback(actor=deputy_user, suggestion_id=suggestion.pk, reply_id=answer.pk, on_result="satisfied",
                           on_attitude="satisfied")  # fmt: skip
    client.force_login(deputy_user)
    assert client.get(reverse("suggestions:mine")).context["feedback"] == []
