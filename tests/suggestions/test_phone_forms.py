"""Phone-first forms on the suggestion pages (issue 24): categories grouped under their headings, and the
co-signer search, scoped exactly as the form's choices."""

import pytest
from django.urls import reverse

from suggestions.forms import category_choices
from suggestions.models import Category

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
