"""The unit recommendation (suggestions/routing.py): from the category alone with no history, from the words and
the category once suggestions were assigned, and against a unit released on re-assignment."""

import math
from datetime import timedelta

import pytest
from django.utils import timezone

from congress import text
from suggestions import routing, services
from suggestions.models import RoutingModel, Suggestion

from . import factories

ELEVATOR = [
    ("老旧小区加装电梯", "老旧小区没有电梯，老年人上下楼困难，建议简化加装电梯审批并给予补贴。"),
    ("既有住宅加装电梯", "既有住宅加装电梯协调难，建议出台电梯加装补贴和业主协商办法。"),
    ("推进加装电梯", "加装电梯惠及老年人，建议住宅小区统一规划电梯井道。"),
]
BUS = [
    ("优化城乡公交线路", "农村公交班次少，建议增加城乡公交线路和班次，完善公交站台。"),
    ("完善农村公交", "公交站台破旧，班次间隔长，建议更新农村公交车辆。"),
    ("增加公交班次", "上下班高峰公交拥挤，建议增加公交班次并开通定制公交。"),
]
NEW_ELEVATOR = "关于老旧住宅加装电梯的建议：老年人盼望电梯，建议补贴加装电梯费用。"


@pytest.fixture
def units(congress):
    housing, housing_officer = factories.unit_with_officer(congress, "省住房和城乡建设厅")
    transport, transport_officer = factories.unit_with_officer(congress, "省交通运输厅")
    return {"housing": (housing, housing_officer), "transport": (transport, transport_officer)}


@pytest.fixture
def building(congress):
    return factories.CategoryFactory(congress=congress, name="城乡建设")


def _assign(mandate, staff, unit, title, content, category):
    return factories.assigned(mandate, staff, unit, title=title, content=content, category=category)


def _history(mandate, staff, units, category):
    for title, content in ELEVATOR:
        _assign(mandate, staff, units["housing"][0], title, content, category)
    for title, content in BUS:
        _assign(mandate, staff, units["transport"][0], title, content, category)


def test_a_suggestion_keeps_its_content_words_without_personal_data(mandate):
    suggestion = factories.draft(mandate, title="加装电梯", content="联系人张建国，电话13812345678，小区需要电梯。")
    words = suggestion.terms.split()
    assert words.count("电梯") == 3  # twice from the title, once from the text
    assert not any("张建国" in w or "138" in w for w in words)


def test_with_no_history_the_category_names_the_unit(congress, units):
    transport = factories.CategoryFactory(congress=congress, name="交通")
    words = text.document("公交", "班次太少，站台破旧，线路不合理")
    ranking = routing.rank(congress.pk, words, transport.pk, detail=True)
    assert ranking.basis == "category"
    assert [fit.unit_id for fit in ranking.fits] == [units["transport"][0].pk]
    assert ranking.fits[0].name_matches


def test_a_category_name_matches_a_unit_by_its_shared_bigrams():
    # 医疗卫生 has the bigrams 医疗, 疗卫, 卫生; 卫生健康委员会 carries one of the three.
    assert routing.name_match("医疗卫生", "卫生健康委员会") == pytest.approx(1 / 3)
    assert routing.name_match("教育", "省教育厅") == 1.0
    assert routing.name_match("教育", "省交通运输厅") == 0.0


def test_with_no_category_and_no_history_there_is_nothing_to_recommend(congress, units):
    ranking = routing.rank(congress.pk, text.document("电梯", NEW_ELEVATOR), None, detail=True)
    assert ranking.basis == "none"
    assert ranking.fits == []


def test_history_sends_an_elevator_suggestion_to_the_housing_unit(congress, mandate, staff, units, building):
    _history(mandate, staff, units, building)
    routing.rebuild(congress.pk)
    ranking = routing.rank(congress.pk, text.document("加装电梯", NEW_ELEVATOR), building.pk, detail=True)
    assert ranking.basis == "history"
    first, second = ranking.fits
    assert first.unit_id == units["housing"][0].pk
    assert "电梯" in first.keywords
    assert first.share > second.share


def test_the_category_prior_counts_past_suggestions_of_the_category(congress, mandate, staff, units):
    other = factories.CategoryFactory(congress=congress, name="其他")
    transport = factories.CategoryFactory(congress=congress, name="交通")
    for title, content in ELEVATOR[:2]:
        _assign(mandate, staff, units["housing"][0], title, content, other)
    _assign(mandate, staff, units["transport"][0], *BUS[0], other)
    _assign(mandate, staff, units["transport"][0], *BUS[1], transport)
    routing.rebuild(congress.pk)
    # Under 其他 (a name no unit carries): housing 2 of 3, transport 1 of 3; overall each has 2 of 4.
    # prior(u) = (category count + 3 × (all + 1) / (4 + 2)) / (3 + 3)
    ranking = routing.rank(congress.pk, "", other.pk, detail=True)
    assert ranking.basis == "category"
    housing, transport_fit = ranking.fits
    assert housing.unit_id == units["housing"][0].pk
    assert housing.score == pytest.approx(math.log((2 + 3 * 3 / 6) / 6))
    assert transport_fit.score == pytest.approx(math.log((1 + 3 * 3 / 6) / 6))


def test_a_unit_named_like_the_category_starts_ahead(congress, units, building):
    # 城乡建设's bigrams 城乡, 乡建, 建设 are all in 省住房和城乡建设厅: with no history its prior is
    # (0 + 3 × 1/2 + 2 × 1) / (0 + 3 + 2 × 1) against the transport unit's (0 + 3 × 1/2) / 5 (units without
    # history are not ranked, so only the housing unit is).
    ranking = routing.rank(congress.pk, "", building.pk, detail=True)
    assert [fit.unit_id for fit in ranking.fits] == [units["housing"][0].pk]
    assert ranking.fits[0].score == pytest.approx(math.log((3 * 1 + 2) / 5))


def test_a_very_short_text_gets_the_category_baseline(congress, mandate, staff, units, building):
    _history(mandate, staff, units, building)
    routing.rebuild(congress.pk)
    ranking = routing.rank(congress.pk, text.document("电梯", ""), building.pk, detail=True)
    assert ranking.basis == "category"


def test_the_model_learns_only_what_was_known_before_its_date(congress, mandate, staff, units, building):
    _history(mandate, staff, units, building)
    cut = timezone.now() - timedelta(days=1)
    Suggestion.objects.filter(title__contains="电梯").update(submitted_at=cut + timedelta(hours=1))
    state = routing.rebuild(congress.pk, until=cut)
    assert state.documents == 0  # every suggestion was submitted after the cut (or assigned today)
    assert routing.baseline(congress.pk, building.pk) == []


def test_a_released_unit_counts_against_itself_and_the_new_unit_double(congress, mandate, staff, units, building):
    housing, housing_officer = units["housing"]
    transport = units["transport"][0]
    suggestion = _assign(mandate, staff, housing, "公交站台改造", BUS[1][1] + "建议改造公交站台。", building)
    assignment = suggestion.assignments.get()
    services.confirm_receipt(actor=housing_officer, assignment_id=assignment.pk)
    request = services.request_reassignment(actor=housing_officer, assignment_id=assignment.pk, reason="不属本单位")
    services.decide_reassignment(actor=staff, request_id=request.pk, approve=True, new_unit_id=transport.pk)
    routing.rebuild(congress.pk)
    units_stats = {u.unit_id: u for u in routing.RoutingUnit.objects.filter(congress=congress, category=None)}
    assert units_stats[transport.pk].documents == routing.REASSIGNED
    assert units_stats[housing.pk].released == 1
    assert housing.pk not in routing.learnt_weights(congress.pk, "公交")
    best = routing.rank(congress.pk, text.document("公交站台", "公交站台破旧需要改造更新"), building.pk)
    assert best[0][0] == transport.pk


def test_a_merged_suggestion_learns_its_primary_unit(congress, mandate, staff, units, building):
    primary = factories.accepted(mandate, staff, title="加装电梯", content=ELEVATOR[0][1], category=building)
    other = factories.accepted(mandate, staff, title="公交站台", content=BUS[1][1], category=building)
    services.merge(actor=staff, primary_id=primary.pk, other_ids=[other.pk])
    services.assign(actor=staff, suggestion_id=primary.pk, lead_id=units["housing"][0].pk)
    state = routing.rebuild(congress.pk)
    assert state.documents == 2
    housing = routing.RoutingUnit.objects.get(congress=congress, unit=units["housing"][0], category=None)
    assert housing.documents == 2


def test_rebuilding_twice_gives_the_same_model(congress, mandate, staff, units, building):
    _history(mandate, staff, units, building)
    routing.rebuild(congress.pk)
    first = sorted(routing.RoutingWord.objects.values_list("word", "units"))
    routing.rebuild(congress.pk)
    assert sorted(routing.RoutingWord.objects.values_list("word", "units")) == first
    assert RoutingModel.objects.filter(congress=congress).count() == 1


def test_rows_without_words_are_filled_in_by_the_rebuild(congress, mandate, staff, units, building):
    _history(mandate, staff, units, building)
    Suggestion.objects.update(terms=None)
    state = routing.rebuild(congress.pk)
    assert state.documents == 6
    assert not Suggestion.objects.filter(terms__isnull=True).exists()


def test_the_nightly_task_learns_every_congress_with_suggestions(congress, mandate, staff, units, building):
    from suggestions import tasks

    _history(mandate, staff, units, building)
    assert tasks.learn_routing() == 1
    assert RoutingModel.objects.get(congress=congress).documents == 6
    assert tasks.learn_routing() == 1  # again: the same model, replaced whole
    assert RoutingModel.objects.filter(congress=congress).count() == 1


def test_a_ranking_reads_the_learnt_model_in_one_statement(congress, mandate, staff, units, building,
                                                           django_assert_num_queries):  # fmt: skip
    _history(mandate, staff, units, building)
    routing.rebuild(congress.pk)
    words = text.document("加装电梯", NEW_ELEVATOR)
    with django_assert_num_queries(1):
        best = routing.rank(congress.pk, words, building.pk)
    assert best[0][0] == units["housing"][0].pk


def test_a_unit_named_like_the_category_keeps_its_prior_once_learnt(congress, mandate, staff, units, building):
    # Learnt, but with no suggestion of the category yet: the name's prior is read from the model's rows.
    other = factories.CategoryFactory(congress=congress, name="其他")
    _assign(mandate, staff, units["transport"][0], *BUS[0], other)
    routing.rebuild(congress.pk)
    ranking = routing.rank(congress.pk, "", building.pk, detail=True)
    assert ranking.fits[0].unit_id == units["housing"][0].pk
    assert ranking.fits[0].name_matches


def test_a_word_keeps_each_units_weight_in_one_row(congress, mandate, staff, units, building):
    # 电梯 is twice in each elevator title (the title counts twice) and 2, 2, 2 times in their texts:
    # (2 + 2) × 3 = 12 for the housing unit; the bus suggestions never use it.
    _history(mandate, staff, units, building)
    routing.rebuild(congress.pk)
    assert routing.learnt_weights(congress.pk, "电梯") == {units["housing"][0].pk: 12.0}
