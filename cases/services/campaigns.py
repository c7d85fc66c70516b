"""A campaign's life: staff create and edit it with its invited units, open it to submissions, close it, and
publish the result (the awards, and the deputies' and stations' records that follow)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import audit, outbox, scope
from congress.errors import InvalidTransition, RuleViolation
from congress.models import Organisation
from deputies.services import record_duty
from liaison_stations.services import record_honour

from .. import selectors, workflow
from ..models import Award, Campaign, CampaignKind, CampaignUnit, RoundStatus, Submission
from .common import lock_campaign

CAMPAIGN_FIELDS = ("kind", "year", "title", "description", "submissions_open", "submissions_close")


def _validate_campaign(campaign: Campaign) -> None:
    errors = {}
    if not campaign.title.strip():
        errors["title"] = [_("Give the campaign a title.")]
    if campaign.kind not in CampaignKind.values:
        errors["kind"] = [_("Choose the kind of cases.")]
    if (
        campaign.submissions_open
        and campaign.submissions_close
        and campaign.submissions_close < campaign.submissions_open
    ):
        errors["submissions_close"] = [_("Submissions must close on or after the day they open.")]
    if errors:
        raise RuleViolation(fields=errors)


def _set_units(campaign: Campaign, units) -> None:
    """units: (organisation, quota or None) pairs; units dropped from the list lose their invitation unless
    they already submitted."""
    wanted = {}
    for unit, quota in units:
        if quota is not None and int(quota) < 1:
            raise RuleViolation(fields={"units": [_("A quota is at least 1, or empty for no limit.")]})
        wanted[unit.pk] = quota
    # Invited units read the campaign: only handling units of its region and below, never another county's.
    scope.referenced(
        Organisation.objects.filter(region__code__startswith=campaign.region_code), list(wanted), field="units",
        message=_("Invite units of this congress's region."),
    )  # fmt: skip
    if not wanted:
        raise RuleViolation(fields={"units": [_("Invite at least one unit to submit.")]})
    found = Organisation.objects.filter(pk__in=wanted, region__code__startswith=campaign.region_code)
    if found.count() != len(wanted):
        raise RuleViolation(fields={"units": [_("Invite units of the congress's own region.")]})
    dropped = CampaignUnit.objects.filter(campaign=campaign).exclude(unit_id__in=wanted)
    if Submission.objects.filter(campaign=campaign, unit_id__in=dropped.values("unit_id")).exists():
        raise RuleViolation(fields={"units": [_("A unit that has already written a case stays invited.")]})
    dropped.delete()
    for unit_id, quota in wanted.items():
        CampaignUnit.objects.update_or_create(campaign=campaign, unit_id=unit_id, defaults={"quota": quota})


def create_campaign(*, actor, congress, fields: dict, units) -> Campaign:
    """Staff open a campaign of one kind for a year, with its submission window and invited units."""
    with transaction.atomic(), audit.acting_as(actor):
        campaign = Campaign(congress=congress, region_code=congress.region.code, created_by=actor)
        for name in CAMPAIGN_FIELDS:
            if name in fields:
                setattr(campaign, name, fields[name])
        scope.require(actor, "cases.manage", campaign)
        _validate_campaign(campaign)
        if Campaign.objects.filter(congress=congress, year=campaign.year, title=campaign.title).exists():
            raise RuleViolation(fields={"title": [_("This congress already has a campaign of that title that year.")]})
        campaign.save()
        _set_units(campaign, units)
    return campaign


def update_campaign(*, actor, campaign_id: int, fields: dict, units=None) -> Campaign:
    with transaction.atomic(), audit.acting_as(actor):
        campaign = lock_campaign(campaign_id)
        workflow.CAMPAIGN.allow(actor, campaign, "edit")
        for name in CAMPAIGN_FIELDS:
            if name in fields:
                if name == "kind" and fields[name] != campaign.kind and campaign.submissions.exists():
                    raise RuleViolation(fields={"kind": [_("Cases have been written: the kind cannot change.")]})
                setattr(campaign, name, fields[name])
        _validate_campaign(campaign)
        campaign.save()
        if units is not None:
            _set_units(campaign, units)
    return campaign


def announce(*, actor, campaign_id: int) -> Campaign:
    """Open the campaign to submissions; the invited units' officers are told."""
    with transaction.atomic(), audit.acting_as(actor):
        campaign = lock_campaign(campaign_id)
        move = workflow.CAMPAIGN.allow(actor, campaign, "announce")
        if not campaign.units.exists():
            raise RuleViolation(_("Invite at least one unit to submit."))
        move.apply()
    return campaign


def close_submissions(*, actor, campaign_id: int) -> Campaign:
    """End the submission stage: rounds can now open on the submitted cases."""
    with transaction.atomic(), audit.acting_as(actor):
        campaign = lock_campaign(campaign_id)
        workflow.CAMPAIGN.apply(actor, campaign, "close_submissions")
    return campaign


# The result


def finish(*, actor, campaign_id: int) -> list[Award]:
    """Publish the result: the selected cases become awards, and each linked deputy's duty record gets a
    case-award entry (once, whatever is retried)."""
    from .. import tasks  # tasks imports services

    with transaction.atomic(), audit.acting_as(actor):
        campaign = lock_campaign(campaign_id)
        move = workflow.CAMPAIGN.allow(actor, campaign, "finish")
        last = campaign.rounds.order_by("-position").first()
        if last is None or last.status != RoundStatus.DECIDED:
            raise InvalidTransition(_("Decide the last round before publishing the result."))
        result = selectors.final_list(campaign)
        awards = Award.objects.bulk_create(
            [Award(campaign=campaign, submission=row["submission"], rank=row["rank"], score=row["score"])
             for row in result["rows"] if row["selected"]]
        )  # fmt: skip
        campaign.finished_at = timezone.now()
        outbox.enqueue(tasks.record_awards, campaign.pk)
        move.apply(awards=len(awards))
    return awards


def record_awards(campaign_id: int) -> int:
    """Each selected case's deputies get a case-award entry in their duty record, and the station it is about
    an honour on its star record; both idempotent by source."""
    campaign = Campaign.objects.get(pk=campaign_id)
    done = 0
    for award in (
        Award.objects.filter(campaign=campaign).select_related("submission").prefetch_related("submission__mandates")
    ):
        if award.submission.station_id:
            record_honour(
                station_id=award.submission.station_id, year=campaign.year,
                title=f"{campaign.title}（第{award.rank}名）", on=timezone.localdate(campaign.finished_at),
                source=f"cases:{campaign.pk}:{award.submission_id}", link=campaign.get_absolute_url(),
            )  # fmt: skip
            done += 1
        for mandate in award.submission.mandates.all():
            record_duty(
                mandate=mandate, kind_code="case_award", on=timezone.localdate(campaign.finished_at),
                title=f"{campaign.title}：{award.submission.title}",
                source=f"cases:{campaign.pk}:{award.submission_id}",
            )  # fmt: skip
            done += 1
    return done
