import pytest

from congress import scope
from congress.models import Congress, Organisation, Region, Term
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_counties(tianhe, nanshan):
    return tianhe, nanshan


def test_county_staff_sees_own_region_subtree_only(two_counties):
    tianhe, nanshan = two_counties
    factories.township("440106001", "五山街道")
    staff = factories.staff_of(tianhe)
    codes = set(scope.visible(staff, Region).values_list("code", flat=True))
    assert codes == {"440106", "440106001"}


def test_county_staff_cannot_read_other_county_congress(two_counties):
    tianhe, nanshan = two_counties
    staff = factories.staff_of(tianhe)
    assert list(scope.visible(staff, Congress)) == [tianhe]


def test_provincial_staff_sees_lower_levels(two_counties):
    province = factories.CongressFactory(region=factories.province())
    staff = factories.staff_of(province)
    assert set(scope.visible(staff, Congress)) == {province, *two_counties}


def test_unit_officer_sees_own_unit_only():
    mine = factories.OrganisationFactory(name="广州市教育局")
    factories.OrganisationFactory(name="广州市交通运输局")
    officer = factories.officer_of(mine)
    assert list(scope.visible(officer, Organisation)) == [mine]


def test_deputy_sees_reference_data_of_own_congress_tree(two_counties):
    tianhe, nanshan = two_counties
    deputy = factories.deputy_of(tianhe)
    assert list(scope.visible(deputy, Congress)) == [tianhe]


def test_user_without_role_sees_nothing():
    factories.CongressFactory()
    assert not scope.visible(factories.UserFactory(), Congress).exists()


def test_anonymous_sees_nothing(django_user_model):
    from django.contrib.auth.models import AnonymousUser

    factories.CongressFactory()
    assert not scope.visible(AnonymousUser(), Congress).exists()


def test_staff_may_not_change_other_congress_term(two_counties):
    tianhe, nanshan = two_counties
    staff = factories.staff_of(tianhe)
    assert scope.can(staff, "congress.change_own", Term(congress=tianhe))
    assert not scope.can(staff, "congress.change_own", Term(congress=nanshan))


def test_provincial_staff_may_not_change_county_term():
    county_congress = factories.CongressFactory(region=factories.county())
    staff = factories.staff_of(factories.CongressFactory(region=factories.province()))
    assert not scope.can(staff, "congress.change_own", Term(congress=county_congress))
    assert scope.can(staff, "congress.change_structure", county_congress)


def test_every_core_model_in_admin_is_scoped():
    from django.contrib import admin

    from congress.admin import ScopedAdmin

    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, ScopedAdmin):
            assert model in scope._specs, model
