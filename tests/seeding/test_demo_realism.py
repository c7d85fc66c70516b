"""The demo reads like real data (issue 24): names match the recorded gender and are not repeated, suggestions go to
units whose remit their category is, categories are unique, and whatever is titled 议案 is a motion. Each check is
computed over one seeded demo."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from deputies.models import Person
from suggestions.models import Assignment, Category, Kind, Suggestion

# Characters that mark a given name as a woman's or a man's in the names the demo draws from.
FEMALE_MARKS = set("英兰梅燕芬玲菊娟婷霞艳萍琴秀丽敏静慧怡凤")
MALE_MARKS = set("国强军勇杰涛刚伟峰豪康建志超东")

# A category (its top level) → words one of which the name of every unit it is assigned to contains. Finance
# co-handles what needs money; 城乡建设 includes parking and roads (transport).
REMIT = {
    "教育": ("教育", "财政"),
    "医疗卫生": ("卫生健康", "医疗保障", "财政"),
    "交通": ("交通运输", "财政"),
    "城乡建设": ("住房", "交通运输", "自然资源"),
    "生态环境": ("生态环境", "财政"),
    "农业农村": ("农业农村", "生态环境", "财政"),
    "社会保障": ("人力资源和社会保障", "医疗保障", "财政"),
    "文化旅游": ("文化和旅游", "财政"),
    "科技创新": ("科学技术", "财政"),
    "财政经济": ("财政", "发展和改革"),
    "法治建设": ("司法", "公安", "法院", "检察院"),
}


# Marked as database tests so that pytest-django runs them with the others, before the transactional tests that
# empty the tables (the regions the migrations seed), not after them with the tests that touch no database.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One seeded demo for the module, rolled back at its end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        connection.atomic_blocks[-1]._from_testcase = True
        try:
            call_command("seed_demo", "--allow-without-debug", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def data(demo, django_db_blocker):
    with django_db_blocker.unblock():
        yield


def given_name(person) -> str:
    return person.name[1:]


def test_the_demo_has_deputies_of_both_genders(data):
    assert set(Person.objects.values_list("gender", flat=True)) == {"F", "M"}


def test_no_woman_in_the_demo_has_a_mans_given_name(data):
    wrong = [p.name for p in Person.objects.filter(gender="F") if set(given_name(p)) & MALE_MARKS]
    assert wrong == []


def test_no_man_in_the_demo_has_a_womans_given_name(data):
    wrong = [p.name for p in Person.objects.filter(gender="M") if set(given_name(p)) & FEMALE_MARKS]
    assert wrong == []


def test_no_two_demo_deputies_share_a_name(data):
    repeated = [name for name, n in Counter(Person.objects.values_list("name", flat=True)).items() if n > 1]
    assert repeated == []


def test_every_assignment_goes_to_a_unit_whose_remit_its_category_is(data):
    rows = Assignment.objects.select_related("unit", "suggestion__category__parent")
    assert rows.exists()
    wrong = []
    for assignment in rows:
        category = assignment.suggestion.category
        top = (category.parent or category).name
        if not any(word in assignment.unit.name for word in REMIT[top]):
            wrong.append((assignment.suggestion.title, top, assignment.unit.name))
    assert wrong == []


def test_no_rail_transit_suggestion_is_assigned_to_an_education_unit(data):
    rail = Assignment.objects.filter(suggestion__title__contains="轨道交通")
    assert rail.exists()
    assert not rail.filter(unit__name__contains="教育").exists()


def test_category_names_are_unique_in_each_congress(data):
    names = Counter(Category.objects.values_list("congress_id", "name"))
    assert [key for key, n in names.items() if n > 1] == []


def test_the_categories_a_deputy_chooses_from_read_differently(data):
    for congress_id in Category.objects.values_list("congress_id", flat=True).distinct():
        labels = Counter(str(c) for c in Category.objects.filter(congress_id=congress_id).select_related("parent"))
        assert [label for label, n in labels.items() if n > 1] == []


def test_every_title_that_says_motion_is_a_motion(data):
    titled = Suggestion.objects.filter(title__contains="议案")
    assert titled.exists()
    assert list(titled.exclude(kind=Kind.MOTION).values_list("title", flat=True)) == []


def test_the_demo_deputy_has_a_reception_day_to_confirm(data):
    from liaison_stations.models import Attendance

    assert Attendance.objects.filter(mandate__person__user__username="deputy", status="pending").exists()
