"""What the phases of the case selection share: row locks, policy values read together, the trigger's name.
Internal to the services package: callers use the services it re-exports."""

from django.utils.translation import gettext as _

from congress import policies
from congress.errors import RuleViolation

from ..models import Campaign, Round, Submission

ROUND_NOT_OPEN = "cases_round_not_open"  # raised by the Postgres trigger of migration 0002


def policy_values(congress_id: int, *keys: str) -> dict:
    """Several policies of one congress at once (the public vote reads two on every request), from the process's
    copy of the congress's overrides."""
    overrides = policies.overrides_of(congress_id)
    values = {}
    for key in keys:
        definition = policies.REGISTRY[key]
        value = overrides.get(key)
        if value is None:
            value = definition.default_for(None)
        values[key] = value if definition.unit == policies.PERCENT else int(value)
    return values


def lock_campaign(campaign_id: int) -> Campaign:
    campaign = (
        Campaign.objects.select_for_update(of=("self",)).select_related("congress").filter(pk=campaign_id).first()
    )
    if campaign is None:
        raise RuleViolation(_("The campaign does not exist."))
    return campaign


def lock_submission(submission_id: int) -> Submission:
    submission = (
        Submission.objects.select_for_update(of=("self",)).select_related("campaign__congress", "unit")
        .filter(pk=submission_id).first()
    )  # fmt: skip
    if submission is None:
        raise RuleViolation(_("The case does not exist."))
    return submission


def lock_round(round_id: int) -> Round:
    round_ = (
        Round.objects.select_for_update(of=("self",)).select_related("campaign__congress").filter(pk=round_id).first()
    )
    if round_ is None:
        raise RuleViolation(_("The round does not exist."))
    return round_
