"""The duplicate search (suggestions/similar.py): alike suggestions found by their words and scored by cosine,
shown only as far as the reader may see them, the rest counted."""

import math

import pytest

from congress import text
from suggestions import routing, services, similar

from . import factories

ELEVATOR_A = ("老旧小区加装电梯", "老旧小区没有电梯，老年人上下楼困难，建议简化加装电梯审批并给予补贴。")
ELEVATOR_B = ("既有住宅加装电梯", "既有住宅加装电梯协调难，老年人上下楼困难，建议出台加装电梯补贴办法。")
BUS = ("优化城乡公交线路", "农村公交班次少，建议增加城乡公交线路和班次，完善公交站台。")


@pytest.fixture
def building(congress):
    return factories.CategoryFactory(congress=congress, name="城乡建设")


def test_cosine_of_two_texts_follows_tf_idf():
    # Two words each, one shared, idf 1 for all: the unit vectors have 1/√2 per word, the cosine is 1/2.
    a = text.weights("电梯 补贴", lambda w: 1.0)
    b = text.weights("电梯 公交", lambda w: 1.0)
    assert text.cosine(a, b) == pytest.approx(0.5)
    # A word twice weighs 1 + ln 2 against 1.
    c = text.weights("电梯 电梯 补贴", lambda w: 1.0)
    norm = math.sqrt((1 + math.log(2)) ** 2 + 1)
    assert c["电梯"] == pytest.approx((1 + math.log(2)) / norm)


def test_the_alike_suggestion_comes_first_and_the_other_topic_is_left_out(congress, mandate, staff, building):
    a = factories.accepted(mandate, staff, title=ELEVATOR_A[0], content=ELEVATOR_A[1], category=building)
    b = factories.accepted(mandate, staff, title=ELEVATOR_B[0], content=ELEVATOR_B[1], category=building)
    factories.accepted(mandate, staff, title=BUS[0], content=BUS[1], category=building)
    routing.rebuild(congress.pk)
    found = similar.candidates(congress.pk, a.terms, exclude_id=a.pk, threshold=similar.SHOWN)
    assert [pk for pk, _ in found] == [b.pk]
    assert 0 < found[0][1] <= 1


def test_merge_candidates_for_staff_carry_the_score(congress, mandate, staff, building):
    a = factories.accepted(mandate, staff, title=ELEVATOR_A[0], content=ELEVATOR_A[1], category=building)
    b = factories.accepted(mandate, staff, title=ELEVATOR_B[0], content=ELEVATOR_B[1], category=building)
    shown = similar.merge_candidates(staff, a)
    assert [s.pk for s in shown.items] == [b.pk]
    assert shown.items[0].similarity >= similar.SHOWN
    assert shown.hidden == 0


def test_a_deputy_sees_another_deputys_alike_suggestion_counted_not_shown(congress, mandate, staff, building):
    other = factories.deputy(congress)
    factories.accepted(other, staff, title=ELEVATOR_B[0], content=ELEVATOR_B[1], category=building)
    draft = factories.draft(mandate, title=ELEVATOR_A[0], content=ELEVATOR_A[1], category=building)
    shown = similar.like_draft(mandate.person.user, draft)
    assert shown.items == []
    assert shown.hidden == 1


def test_a_published_alike_suggestion_is_shown_by_its_published_copy(congress, mandate, staff, building):
    other = factories.deputy(congress)
    theirs = factories.accepted(other, staff, title=ELEVATOR_B[0], content=ELEVATOR_B[1], category=building)
    type(theirs).objects.filter(pk=theirs.pk).update(published_at=theirs.accepted_at, public_title="加装电梯的建议")
    draft = factories.draft(mandate, title=ELEVATOR_A[0], content=ELEVATOR_A[1], category=building)
    shown = similar.like_draft(mandate.person.user, draft)
    assert [s.pk for s in shown.items] == [theirs.pk]
    assert shown.items[0].public_only
    assert shown.hidden == 0


def test_a_deputys_own_earlier_suggestion_is_shown(congress, mandate, staff, building):
    mine = factories.accepted(mandate, staff, title=ELEVATOR_B[0], content=ELEVATOR_B[1], category=building)
    draft = factories.draft(mandate, title=ELEVATOR_A[0], content=ELEVATOR_A[1], category=building)
    shown = similar.like_draft(mandate.person.user, draft)
    assert [s.pk for s in shown.items] == [mine.pk]
    assert not getattr(shown.items[0], "public_only", False)


def test_a_short_draft_is_not_searched(congress, mandate, staff, building):
    factories.accepted(mandate, staff, title=ELEVATOR_B[0], content=ELEVATOR_B[1], category=building)
    draft = factories.draft(mandate, title="电梯", content="", category=building)
    assert similar.like_draft(mandate.person.user, draft).items == []


def test_another_congress_is_never_searched(congress, mandate, staff, building):
    from tests import factories as core
    from tests.deputies.factories import current_term

    city = core.CongressFactory(region=core.city())
    current_term(city)
    theirs = factories.accepted(factories.deputy(city), core.staff_of(city), title=ELEVATOR_B[0],
                                content=ELEVATOR_B[1], category=factories.CategoryFactory(congress=city))  # fmt: skip
    mine = factories.accepted(mandate, staff, title=ELEVATOR_A[0], content=ELEVATOR_A[1], category=building)
    assert theirs.pk not in [pk for pk, _ in similar.candidates(congress.pk, mine.terms)]


def test_a_merged_suggestion_is_no_merge_candidate(congress, mandate, staff, building):
    a = factories.accepted(mandate, staff, title=ELEVATOR_A[0], content=ELEVATOR_A[1], category=building)
    b = factories.accepted(mandate, staff, title=ELEVATOR_B[0], content=ELEVATOR_B[1], category=building)
    c = factories.accepted(mandate, staff, title=ELEVATOR_B[0], content=ELEVATOR_B[1], category=building)
    services.merge(actor=staff, primary_id=b.pk, other_ids=[c.pk])
    assert [s.pk for s in similar.merge_candidates(staff, a).items] == [b.pk]
