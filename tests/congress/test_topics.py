"""Topics: opinions and suggestions grouped by their words, with keywords no one's personal data can enter, and
staff's names and merges that outlast every recomputation."""

from datetime import date

import pytest

from congress import topics
from congress.models import Topic, TopicItem
from tests import factories as core
from tests.liaison_stations.factories import StationFactory

from .topic_data import LIFTS, PARKING, opinion, themes

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


@pytest.fixture
def station():
    return StationFactory(congress=core.CongressFactory(region=core.county()))


@pytest.fixture
def staff(station):
    return core.staff_of(station.congress)


def _topic_with(word, congress):
    return next(t for t in Topic.objects.filter(congress=congress, item_count__gt=0) if word in t.keywords)


def test_opinions_on_two_themes_make_two_topics_with_their_keywords(station):
    themes(station)
    assert topics.recompute(station.congress_id, TODAY) == 2
    lifts, parking = _topic_with("电梯", station.congress), _topic_with("停车位", station.congress)
    assert lifts.pk != parking.pk
    assert (lifts.item_count, parking.item_count) == (4, 4)
    assert "停车位" not in lifts.keywords


def test_recomputing_twice_keeps_the_same_topics(station):
    themes(station)
    topics.recompute(station.congress_id, TODAY)
    before = sorted(Topic.objects.values_list("pk", "keywords", "item_count"))
    topics.recompute(station.congress_id, TODAY)
    assert sorted(Topic.objects.values_list("pk", "keywords", "item_count")) == before


def test_a_staff_name_survives_recomputation(station, staff):
    themes(station)
    topics.recompute(station.congress_id, TODAY)
    lifts = _topic_with("电梯", station.congress)
    topics.rename(actor=staff, topic_id=lifts.pk, name="老旧小区加装电梯")
    # A month later more citizens write on the same theme, in other words.
    themes(station, LIFTS, months=((2026, 6, 2),))
    topics.recompute(station.congress_id, TODAY)
    lifts.refresh_from_db()
    assert lifts.name == "老旧小区加装电梯"
    assert lifts.item_count == 8
    assert Topic.objects.filter(congress=station.congress, item_count__gt=0).count() == 2


def test_a_merge_survives_recomputation(station, staff):
    themes(station)
    topics.recompute(station.congress_id, TODAY)
    lifts, parking = _topic_with("电梯", station.congress), _topic_with("停车位", station.congress)
    topics.merge(actor=staff, topic_id=parking.pk, into_id=lifts.pk)
    assert TopicItem.objects.filter(topic=lifts).count() == 8
    topics.recompute(station.congress_id, TODAY)
    parking.refresh_from_db()
    lifts.refresh_from_db()
    assert parking.merged_into_id == lifts.pk
    assert (lifts.item_count, parking.item_count) == (8, 0)
    assert list(topics.listed(staff, station.congress_id)) == [lifts]


def test_a_merged_topics_own_name_stays_its_own_after_recomputation(station, staff):
    themes(station)
    topics.recompute(station.congress_id, TODAY)
    lifts, parking = _topic_with("电梯", station.congress), _topic_with("停车位", station.congress)
    topics.rename(actor=staff, topic_id=lifts.pk, name="民生设施")
    topics.merge(actor=staff, topic_id=parking.pk, into_id=lifts.pk)
    topics.recompute(station.congress_id, TODAY)
    assert Topic.objects.count() == 2  # no new topic for either theme
    lifts.refresh_from_db()
    assert lifts.staff_label == "民生设施"


def test_a_name_or_phone_in_the_items_never_becomes_a_keyword(station):
    for number, content in enumerate(LIFTS):
        opinion(station, f"我是张建国，电话13912345678。{content}", phone=f"1391111{number:04d}")
    topics.recompute(station.congress_id, TODAY)
    [lifts] = Topic.objects.filter(item_count__gt=0)
    assert "电梯" in lifts.keywords
    assert not any("张" in word or "建国" in word or "139" in word for word in lifts.keywords)


def test_a_word_fewer_than_three_authors_use_is_not_a_keyword(station):
    # Four opinions from two citizens only: 加装 and 电梯 are everywhere, but by two people.
    for number, content in enumerate(LIFTS):
        opinion(station, content, phone=f"1392222{number % 2:04d}")
    topics.recompute(station.congress_id, TODAY)
    assert not Topic.objects.filter(item_count__gt=0).exists()


def test_a_word_of_one_author_among_many_stays_out_of_the_keywords(station):
    themes(station, LIFTS)
    # One citizen names their street, three times: it is their word alone.
    for when in ((2026, 5, 11), (2026, 5, 12), (2026, 5, 13)):
        opinion(station, "五羊新城老旧小区加装电梯，老人上下楼困难，五羊新城盼电梯。", phone="13933330000", when=when)
    topics.recompute(station.congress_id, TODAY)
    lifts = _topic_with("电梯", station.congress)
    assert lifts.item_count == 7
    assert "五羊新城" not in lifts.keywords


def test_items_older_than_the_period_are_left_out(station):
    themes(station, months=((2025, 5, 10),))
    assert topics.recompute(station.congress_id, TODAY) == 0


def test_the_trend_counts_items_per_month(station):
    themes(station, LIFTS, months=((2026, 4, 3), (2026, 6, 1)))
    topics.recompute(station.congress_id, TODAY)
    lifts = _topic_with("电梯", station.congress)
    trend = topics.trends([lifts.pk], TODAY)[lifts.pk]
    assert len(trend) == 12
    assert trend[-3:] == [4, 0, 4]


def test_hot_topics_of_a_region_count_only_its_items(station):
    themes(station)
    other = StationFactory(congress=station.congress, region=core.township(code="440106001", name="五山街道"))
    themes(other, PARKING, months=((2026, 6, 3),))
    topics.recompute(station.congress_id, TODAY)
    [row] = topics.hot(station.congress_id, region_code=other.region_code, today=TODAY)
    assert "停车位" in row["topic"].keywords
    assert (row["n"], row["now"]) == (4, 4)


def test_suggestions_are_grouped_with_opinions(station, staff):
    from tests.suggestions import factories as sf

    themes(station, LIFTS)
    for number in range(3):
        mandate = sf.deputy(station.congress)
        sf.submitted(mandate, title="关于老旧小区加装电梯的建议", content=LIFTS[number])
    topics.recompute(station.congress_id, date.today())
    lifts = _topic_with("电梯", station.congress)
    assert lifts.item_count == 7
