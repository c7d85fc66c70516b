"""The SMS code of a public vote: valid for the policy's minutes (10) and spent after its wrong guesses (5)."""

from datetime import timedelta

import pytest

from cases import services
from congress.errors import RuleViolation
from congress.models import PolicyValue

from . import factories as f
from .test_public import PHONE, poll  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def test_code_lives_ten_minutes_by_default(poll):  # noqa: F811
    campaign = poll[0]
    with f.travel("2023-11-02 10:00"):
        check, _code = services.send_code(campaign=campaign, phone=PHONE)
    assert check.expires_at - check.created_at == pytest.approx(timedelta(minutes=10), abs=timedelta(seconds=1))


def test_code_lifetime_follows_the_congress_policy(poll):  # noqa: F811
    campaign = poll[0]
    PolicyValue.objects.create(congress=campaign.congress, key="cases.sms_code_minutes", value=3)
    with f.travel("2023-11-02 10:00"):
        _check, code = services.send_code(campaign=campaign, phone=PHONE)
    with f.travel("2023-11-02 10:04"), pytest.raises(RuleViolation):
        services.verify_code(campaign=campaign, phone=PHONE, code=code)


def guess_wrong(campaign, times):
    for _ in range(times):
        with pytest.raises(RuleViolation):
            services.verify_code(campaign=campaign, phone=PHONE, code="000000" if _ % 2 else "111111")


def test_the_right_code_still_works_after_four_wrong_guesses(poll):  # noqa: F811
    campaign = poll[0]
    with f.travel("2023-11-02 10:00"):
        _check, code = services.send_code(campaign=campaign, phone=PHONE)
        guess_wrong(campaign, 4)
        assert services.verify_code(campaign=campaign, phone=PHONE, code=code)


def test_five_wrong_guesses_spend_the_code(poll):  # noqa: F811
    campaign = poll[0]
    with f.travel("2023-11-02 10:00"):
        _check, code = services.send_code(campaign=campaign, phone=PHONE)
        guess_wrong(campaign, 5)
        with pytest.raises(RuleViolation):
            services.verify_code(campaign=campaign, phone=PHONE, code=code)


def test_wrong_guesses_follow_the_congress_policy(poll):  # noqa: F811
    campaign = poll[0]
    PolicyValue.objects.create(congress=campaign.congress, key="cases.sms_code_attempts", value=2)
    with f.travel("2023-11-02 10:00"):
        _check, code = services.send_code(campaign=campaign, phone=PHONE)
        guess_wrong(campaign, 2)
        with pytest.raises(RuleViolation):
            services.verify_code(campaign=campaign, phone=PHONE, code=code)
