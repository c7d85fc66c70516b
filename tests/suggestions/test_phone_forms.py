"""Phone-first forms on the suggestion pages (issue 24): categories grouped under their headings, and the
co-signer search, scoped exactly as the form's choices."""

import pytest
from django.urls import reverse

from deputies.models import ElectoralUnit
from suggestions.forms import category_choices
from suggestions.models import Category
from tests import factories as core
from tests.deputies.factories import MandateFactory, PersonFactory, current_term

from . import factories as f

pytestmark = pytest.mark.django_db


def headings(congress):
    """交通 (position 2) with no subcategory; 教育 (1) with 高等教育 (11) and 义务教育 (10); 城建 (0), inactive
    here, with 老旧小区 (5)."""
    make = Category.objects.create
    transport = make(congress=congress, name="交通", position=2)
    education = make(congress=congress, name="教育", position=1)
    make(congress=congress, name="高等教育", parent=education, position=11)
    make(congress=congress, name="义务教育", parent=education, position=10)
    building = make(congress=congress, name="城建", position=0, is_active=False)
    make(congress=congress, name="老旧小区", parent=building, position=5)
    return transport, education


def test_categories_are_grouped_under_their_headings_in_the_order_staff_gave(congress):
    headings(congress)
    offered = Category.objects.filter(congress=congress, is_active=True).select_related("parent")
    choices = category_choices(offered)
    readable = [(key, [name for _pk, name in value]) if isinstance(value, list) else value for key, value in choices]
    # 城建 itself is inactive: its group offers only its active subcategory.
    assert readable == ["—", ("城建", ["老旧小区"]), ("教育", ["教育", "义务教育", "高等教育"]), "交通"]


def test_the_deputy_form_offers_the_categories_in_groups_and_saves_a_subcategory(client, congress, mandate,
                                                                                deputy_user):  # fmt: skip
    headings(congress)
    client.force_login(deputy_user)
    page = client.get(reverse("suggestions:new")).content.decode()
    assert '<optgroup label="教育">' in page
    compulsory = Category.objects.get(name="义务教育")
    data = {"mandate": mandate.pk, "kind": "suggestion", "title": "课后服务", "category": compulsory.pk, "save": "1"}
    response = client.post(reverse("suggestions:new"), data)
    assert response.status_code == 302
    assert mandate.suggestions_led.get().category == compulsory


def test_the_review_filter_groups_the_categories_too(client, congress, staff):
    headings(congress)
    client.force_login(staff)
    page = client.get(reverse("suggestions:review")).content.decode()
    assert '<optgroup label="教育">' in page


# The co-signer search


def colleague(congress, name, region, unit):
    term = current_term(congress)
    constituency = ElectoralUnit.objects.get_or_create(congress=congress, term=term, name=region)[0]
    return MandateFactory(congress=congress, person=PersonFactory(name=name, work_unit=unit),
                          electoral_unit=constituency)  # fmt: skip


def search(client, name, **params):
    return client.get(reverse("suggestions:cosigner_search"), {"q": name, **params})


def test_the_search_tells_namesakes_apart_by_region_and_unit(client, congress, deputy_user):
    colleague(congress, "罗桂英", "天河区第一选区", "广州市第一中学校长")
    colleague(congress, "罗桂英", "越秀区第三选区", "越秀区人民医院护士长")
    client.force_login(deputy_user)
    answer = search(client, "桂英")
    assert answer.status_code == 200
    assert answer.json()["results"] == [
        {"id": answer.json()["results"][0]["id"], "name": "罗桂英", "region": "天河区第一选区",
         "unit": "广州市第一中学校长"},
        {"id": answer.json()["results"][1]["id"], "name": "罗桂英", "region": "越秀区第三选区",
         "unit": "越秀区人民医院护士长"},
    ]  # fmt: skip


def test_the_search_finds_exactly_the_colleagues_the_form_offers(client, congress, mandate, deputy_user):
    mine = colleague(congress, "谢艳", "天河区第一选区", "教师")
    elsewhere = core.CongressFactory(region=core.city())
    current_term(elsewhere)
    colleague(elsewhere, "谢艳", "番禺区选区", "农民")
    ended = colleague(congress, "谢艳", "天河区第二选区", "医生")
    ended.status, ended.end_date, ended.end_reason = "ended", ended.start_date, "resigned"
    ended.save()
    client.force_login(deputy_user)
    found = [row["id"] for row in search(client, "谢艳").json()["results"]]
    assert found == [mine.pk]
    page = client.get(reverse("suggestions:new")).content.decode()
    assert f'value="{mine.pk}"' in page and f'value="{ended.pk}"' not in page


def test_the_search_does_not_offer_the_deputy_themself(client, congress, mandate, deputy_user):
    client.force_login(deputy_user)
    assert search(client, mandate.person.name).json()["results"] == []


def test_a_unit_officer_cannot_search_the_deputies(client, congress):
    colleague(congress, "罗桂英", "天河区第一选区", "教师")
    _unit, officer = f.unit_with_officer(congress)
    client.force_login(officer)
    assert search(client, "罗桂英").status_code == 403


def test_staff_cannot_search_through_the_deputies_picker(client, congress, staff):
    client.force_login(staff)
    assert search(client, "罗").status_code == 403


def test_a_deputy_cannot_search_under_another_deputys_draft_or_mandate(client, congress, deputy_user):
    other = f.deputy(congress)
    colleague(congress, "罗桂英", "天河区第一选区", "教师")
    client.force_login(deputy_user)
    assert search(client, "罗桂英", suggestion=f.draft(other).pk).status_code in (403, 404)
    assert search(client, "罗桂英", mandate=other.pk).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    assert search(client, "罗").status_code == 302
