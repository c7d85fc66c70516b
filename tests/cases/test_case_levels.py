"""A duty case is entered at one deputy level (national, provincial, municipal, county, township): the deputies it
names are of that level."""

import pytest

from cases import services
from congress.errors import RuleViolation

from . import factories as f

pytestmark = pytest.mark.django_db


def test_a_county_case_naming_a_national_deputy_is_refused(congress, staff, unit):
    unit_org, officer = unit
    national = f.deputy_of_level("national")
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit_org])
        with pytest.raises(RuleViolation) as refused:
            f.submission(officer, campaign, title="案例", level="county", mandates=[national], submit=False)
    assert "mandates" in refused.value.fields


def test_a_case_naming_deputies_of_its_level_is_accepted(congress, staff, unit):
    unit_org, officer = unit
    county = f.deputy_of_level("county")
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit_org])
        case = f.submission(officer, campaign, title="案例", level="county", mandates=[county])
    assert list(case.mandates.all()) == [county]


def test_changing_the_level_away_from_the_named_deputies_is_refused(congress, staff, unit):
    unit_org, officer = unit
    county = f.deputy_of_level("county")
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit_org])
        draft = f.submission(officer, campaign, title="案例", level="county", mandates=[county], submit=False)
        with pytest.raises(RuleViolation) as refused:
            services.save_submission(actor=officer, submission_id=draft.pk, fields={"level": "township"})
    assert "mandates" in refused.value.fields
