"""The intake help on the detail page: recommended units above the assignment form, merge candidates with their
scores for staff, and what was already raised on a deputy's draft, none of it beyond what the reader may see."""

import pytest
from django.urls import reverse

from suggestions import routing

from . import factories as f
from .test_routing import ELEVATOR, NEW_ELEVATOR

pytestmark = pytest.mark.django_db


def page(client, user, suggestion) -> str:
    client.force_login(user)
    response = client.get(reverse("suggestions:detail", args=[suggestion.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def building(congress):
    return f.CategoryFactory(congress=congress, name="城乡建设")


def test_the_assignment_form_shows_the_recommended_unit_with_its_reasons(client, congress, mandate, staff, building):
    housing = f.unit_with_officer(congress, "省住房和城乡建设厅")[0]
    for title, content in ELEVATOR:
        f.assigned(mandate, staff, housing, title=title, content=content, category=building)
    routing.rebuild(congress.pk)
    fresh = f.accepted(mandate, staff, title="老旧住宅加装电梯", content=NEW_ELEVATOR, category=building)
    html = page(client, staff, fresh)
    assert "推荐承办单位" in html
    assert f'data-lead-unit="{housing.pk}"' in html
    assert "曾办理“城乡建设”类建议 3 件" in html
    assert "指向该单位的词语" in html and "电梯" in html


def test_with_no_history_the_form_says_the_category_decided(client, congress, mandate, staff, building):
    housing = f.unit_with_officer(congress, "省住房和城乡建设厅")[0]
    fresh = f.accepted(mandate, staff, title="老旧住宅加装电梯", content=NEW_ELEVATOR, category=building)
    html = page(client, staff, fresh)
    assert "仅按类别排序" in html
    assert "单位名称与类别“城乡建设”相符" in html
    assert f'data-lead-unit="{housing.pk}"' in html


def test_staff_see_merge_candidates_with_their_score(client, congress, mandate, staff, building):
    first = f.accepted(mandate, staff, title=ELEVATOR[0][0], content=ELEVATOR[0][1], category=building)
    second = f.accepted(f.deputy(congress), staff, title=ELEVATOR[1][0], content=ELEVATOR[1][1], category=building)
    html = page(client, staff, first)
    assert "相似建议（可考虑并案）" in html
    assert reverse("suggestions:detail", args=[second.pk]) in html
    assert "相似度 0." in html


def test_a_deputy_drafting_sees_what_was_raised_and_counts_what_is_not_theirs(client, congress, mandate, staff,
                                                                              building):  # fmt: skip
    mine = f.accepted(mandate, staff, title=ELEVATOR[0][0], content=ELEVATOR[0][1], category=building)
    theirs = f.accepted(f.deputy(congress), staff, title=ELEVATOR[1][0], content=ELEVATOR[1][1], category=building)
    draft = f.draft(mandate, title=ELEVATOR[2][0], content=ELEVATOR[2][1] + "老年人上下楼困难。", category=building)
    html = page(client, mandate.person.user, draft)
    assert "本次和上次会议已有相似建议" in html
    assert reverse("suggestions:detail", args=[mine.pk]) in html
    assert reverse("suggestions:detail", args=[theirs.pk]) not in html
    assert theirs.title not in html
    assert "另有 1 件相似建议不在您的查看范围内" in html
    assert "您仍可提交" in html


def test_a_submitted_suggestion_no_longer_shows_the_drafting_hint(client, congress, mandate, staff, building):
    f.accepted(mandate, staff, title=ELEVATOR[0][0], content=ELEVATOR[0][1], category=building)
    submitted = f.submitted(mandate, title=ELEVATOR[1][0], content=ELEVATOR[1][1], category=building)
    assert "本次和上次会议已有相似建议" not in page(client, mandate.person.user, submitted)


def test_a_unit_officer_sees_no_recommendation(client, congress, mandate, staff, building):
    housing, officer = f.unit_with_officer(congress, "省住房和城乡建设厅")
    assigned = f.assigned(mandate, staff, housing, title=ELEVATOR[0][0], content=ELEVATOR[0][1], category=building)
    html = page(client, officer, assigned)
    assert "推荐承办单位" not in html and "可考虑并案" not in html


def test_a_deputy_sees_the_reply_an_alike_suggestion_got(client, congress, mandate, staff, building):
    unit, officer = f.unit_with_officer(congress, "省住房和城乡建设厅")
    mine = f.assigned(mandate, staff, unit, title=ELEVATOR[0][0], content=ELEVATOR[0][1], category=building)
    f.reply_to(mine.assignments.get(), officer, result="A", text="已出台加装电梯补贴办法，每台补贴十万元。")
    draft = f.draft(mandate, title=ELEVATOR[2][0], content=ELEVATOR[2][1] + "老年人上下楼困难。", category=building)
    html = page(client, mandate.person.user, draft)
    assert "承办单位答复：" in html
    assert "已出台加装电梯补贴办法" in html
