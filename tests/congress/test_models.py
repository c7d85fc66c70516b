from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from congress.models import Congress, Organisation, Region, RoleMembership, Session
from tests import factories

pytestmark = pytest.mark.django_db


def test_city_code_typed_in_six_digits_is_stored_as_its_path():
    region = Region(code="440300", name="深圳市", level="city", parent=factories.province())
    region.full_clean()
    assert region.code == "4403"
    assert region.division_code == "440300"


def test_county_code_ending_in_zeros_is_not_a_city():
    # 130110 is a county (鹿泉区); codes are cut by level, never by stripping zeros.
    region = Region(
        code="130110", name="鹿泉区", level="county", parent=factories.city("1301", "石家庄市") if False else None
    )
    hebei = factories.province("13", "河北省")
    shijiazhuang = factories.RegionFactory(code="1301", name="石家庄市", level="city", parent=hebei)
    region.parent = shijiazhuang
    region.full_clean()
    assert region.code == "130110"


def test_city_code_must_end_with_zeros_when_six_digits():
    region = Region(code="440106", name="x", level="city", parent=factories.province())
    with pytest.raises(ValidationError) as error:
        region.full_clean()
    assert "code" in error.value.message_dict


def test_region_must_lie_under_its_parent():
    region = Region(code="440305", name="南山区", level="county", parent=factories.city("4401"))
    with pytest.raises(ValidationError) as error:
        region.full_clean()
    assert "code" in error.value.message_dict


def test_parent_must_be_one_level_up():
    region = Region(code="440106001", name="x", level="township", parent=factories.city("4401"))
    with pytest.raises(ValidationError) as error:
        region.full_clean()
    assert "parent" in error.value.message_dict


def test_congress_level_follows_region():
    assert factories.CongressFactory(region=factories.township()).level == "township"
    assert Congress.objects.get(region__code="").level if Congress.objects.filter(region__code="").exists() else True


def test_village_has_no_congress():
    village = Region.objects.create(code="440117101201", name="石海村", level="village", parent=factories.township())
    with pytest.raises(ValidationError):
        Congress(region=village, name="石海村人民代表大会").full_clean()


def test_one_congress_per_region():
    congress = factories.CongressFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Congress.objects.create(region=congress.region, name="重复")


def test_session_must_lie_within_term():
    term = factories.TermFactory(start_date=date(2023, 1, 12), end_date=date(2028, 1, 11))
    with pytest.raises(ValidationError):
        Session(term=term, number=6, start_date=date(2028, 1, 20), end_date=date(2028, 1, 25)).full_clean()


def test_session_name_reads_as_term_and_number():
    session = factories.SessionFactory(number=2)
    assert str(session) in ("第14届第2次会议", "Term 14, session 2")


def test_township_congress_has_presidium_not_standing_committee():
    congress = factories.CongressFactory(region=factories.township())
    assert not congress.has_standing_committee
    body = Organisation(name="x常委会", kind="standing_committee", region=congress.region, congress=congress)
    with pytest.raises(ValidationError):
        body.full_clean()


def test_handling_unit_needs_category_in_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="x", kind="handling_unit", unit_category="", region=factories.province())


def test_unit_officer_membership_needs_unit_in_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleMembership.objects.create(user=factories.UserFactory(), role="unit_officer")


def test_staff_membership_needs_congress_in_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleMembership.objects.create(user=factories.UserFactory(), role="staff")
