"""A unit's cases: its officers write, attach files to and submit them within the window and the unit's quota;
staff return them for completion or reject them."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import audit, scope, uploads
from congress.errors import Forbidden, InvalidTransition, RuleViolation
from congress.models import Level
from deputies.models import Mandate, MandateStatus
from suggestions.models import Suggestion

from .. import workflow
from ..models import Campaign, CampaignKind, CampaignStatus, CampaignUnit, Submission, SubmissionFile, SubmissionStatus
from .common import lock_submission

MAX_FILES = 8

SUBMISSION_FIELDS = ("title", "summary", "narrative", "level", "suggestion", "station", "video_url")


def _validate_links(submission: Submission, mandate_ids) -> list[int]:
    errors = {}
    if submission.level and submission.level not in Level.values:
        errors["level"] = [_("Choose a deputy level.")]
    if submission.station_id and not submission.station.region_code.startswith(submission.campaign.region_code):
        errors["station"] = [_("Choose a station of the congress's region.")]
    if (
        submission.suggestion_id
        and not Suggestion.objects.filter(
            scope.lineage_q("region_code", submission.campaign.region_code), pk=submission.suggestion_id
        ).exists()
    ):
        errors["suggestion"] = [_("Choose a suggestion made to this congress or to a congress above it.")]
    if errors:
        raise RuleViolation(fields=errors)
    # The deputies of the campaign's region and below, and those of the congresses above it elected there; never
    # a deputy of a sibling county or township.
    region = submission.campaign.region_code
    reach = Mandate.objects.exclude(status=MandateStatus.ENDED).filter(scope.lineage_q("region_code", region))
    chosen = scope.referenced(
        reach,
        list(mandate_ids or []),
        field="mandates",
        message=_("Choose deputies of this congress's region whose mandate has not ended."),
    )
    # A case is entered at one deputy level: its deputies are of that level (kept or newly named).
    if mandate_ids is None and submission.pk:
        wrong_level = submission.mandates.exclude(level=submission.level).exists()
    else:
        wrong_level = any(mandate.level != submission.level for mandate in chosen)
    if submission.level in Level.values and wrong_level:
        raise RuleViolation(
            fields={
                "mandates": [
                    _("Name deputies of the case's level (%(level)s) only.") % {"level": Level(submission.level).label}
                ]
            }
        )
    return [m.pk for m in chosen]


def _unit_for(actor, campaign: Campaign, unit_id: int | None) -> CampaignUnit:
    mine = CampaignUnit.objects.filter(campaign=campaign, unit_id__in=scope.unit_ids(actor)).select_related("unit")
    if unit_id:
        mine = mine.filter(unit_id=unit_id)
    invitations = list(mine[:2])
    if not invitations:
        raise Forbidden(_("Your unit is not invited to submit to this campaign."))
    if len(invitations) > 1:
        raise RuleViolation(fields={"unit": [_("You act for several invited units: say which one.")]})
    return invitations[0]


def create_submission(*, actor, campaign_id: int, fields: dict, mandate_ids=(), files=(), unit_id=None) -> Submission:
    """A unit officer starts a case for their unit while the campaign takes submissions."""
    with transaction.atomic(), audit.acting_as(actor):
        campaign = Campaign.objects.select_related("congress").filter(pk=campaign_id).first()
        if campaign is None:
            raise RuleViolation(_("The campaign does not exist."))
        invitation = _unit_for(actor, campaign, unit_id)
        if campaign.status != CampaignStatus.OPEN:
            raise InvalidTransition(_("The campaign is not taking submissions."))
        submission = Submission(campaign=campaign, unit=invitation.unit)
        for name in SUBMISSION_FIELDS:
            if name in fields:
                setattr(submission, name, fields[name])
        if not submission.title.strip():
            raise RuleViolation(fields={"title": [_("Give the case a title.")]})
        wanted = _validate_links(submission, mandate_ids)
        submission.save()
        submission.mandates.set(wanted)
        _add_files(submission, files)
    return submission


def save_submission(*, actor, submission_id: int, fields: dict, mandate_ids=None, files=()) -> Submission:
    """Save a draft or a case returned for completion."""
    with transaction.atomic(), audit.acting_as(actor):
        submission = lock_submission(submission_id)
        workflow.SUBMISSION.allow(actor, submission, "edit")
        for name in SUBMISSION_FIELDS:
            if name in fields:
                setattr(submission, name, fields[name])
        if not submission.title.strip():
            raise RuleViolation(fields={"title": [_("Give the case a title.")]})
        wanted = _validate_links(submission, mandate_ids)
        submission.save()
        if mandate_ids is not None:
            submission.mandates.set(wanted)
        _add_files(submission, files)
    return submission


def _add_files(submission: Submission, files) -> list[SubmissionFile]:
    files = [f for f in files or [] if f]
    if not files:
        return []
    room = MAX_FILES - submission.files.count()
    checked = uploads.check_all(files, max_files=max(room, 0))
    return [
        SubmissionFile.objects.create(
            submission=submission, file=upload, name=upload.name[:200], content_type=content_type, size=upload.size
        )
        for upload, content_type in checked
    ]


def remove_file(*, actor, file_id: int) -> None:
    with transaction.atomic(), audit.acting_as(actor):
        found = SubmissionFile.objects.filter(pk=file_id).first()
        if found is None:
            raise RuleViolation(_("The attachment does not exist."))
        submission = lock_submission(found.submission_id)
        workflow.SUBMISSION.allow(actor, submission, "edit")
        audit.record(actor, submission, "remove_file", {}, name=found.name)
        found.file.delete(save=False)
        found.delete()


def _check_complete(submission: Submission) -> None:
    errors = {}
    kind = submission.campaign.kind
    if len(submission.narrative.strip()) < 20:
        errors["narrative"] = [_("Tell the case's story (at least 20 characters).")]
    if kind == CampaignKind.DUTY:
        if not submission.level:
            errors["level"] = [_("Choose the deputies' level.")]
        if not submission.mandates.exists():
            errors["mandates"] = [_("Name the deputy or deputies of the case.")]
    elif kind == CampaignKind.SUGGESTION and not submission.suggestion_id:
        errors["suggestion"] = [_("Choose the suggestion the case is about.")]
    elif kind == CampaignKind.STATION and not submission.station_id:
        errors["station"] = [_("Choose the liaison station the case is about.")]
    if errors:
        raise RuleViolation(fields=errors)


def submit(*, actor, submission_id: int) -> Submission:
    """Submit a case within the window and the unit's quota."""
    with transaction.atomic(), audit.acting_as(actor):
        submission = lock_submission(submission_id)
        move = workflow.SUBMISSION.allow(actor, submission, "submit")
        campaign = submission.campaign
        today = timezone.localdate()
        if campaign.status != CampaignStatus.OPEN or not (
            campaign.submissions_open <= today <= campaign.submissions_close
        ):
            raise RuleViolation(
                _("Cases are taken from %(start)s to %(end)s while the campaign is open.")
                % {"start": campaign.submissions_open, "end": campaign.submissions_close}
            )
        _check_complete(submission)
        # The invitation row is the unit's lock: two officers submitting at once cannot both pass the quota.
        invitation = CampaignUnit.objects.select_for_update().get(campaign=campaign, unit=submission.unit)
        if invitation.quota is not None and submission.status == SubmissionStatus.DRAFT:
            used = Submission.objects.filter(
                campaign=campaign,
                unit=submission.unit,
                status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.RETURNED],
            ).count()
            if used >= invitation.quota:
                raise RuleViolation(
                    _("Your unit's quota for this campaign is %(quota)s cases and it has submitted %(used)s.")
                    % {"quota": invitation.quota, "used": used}
                )
        submission.submitted_at = timezone.now()
        submission.submitted_by = actor
        submission.review_note = ""
        move.apply()
    return submission


def _review(actor, submission_id: int, action: str, reason: str) -> Submission:
    if not reason.strip():
        raise RuleViolation(fields={"reason": [_("Say why.")]})
    with transaction.atomic(), audit.acting_as(actor):
        submission = lock_submission(submission_id)
        move = workflow.SUBMISSION.allow(actor, submission, action)
        if submission.entries.exists():
            raise InvalidTransition(_("The case is already in a selection round."))
        submission.review_note = reason.strip()
        move.apply(reason=reason.strip())
    return submission


def return_submission(*, actor, submission_id: int, reason: str) -> Submission:
    """Staff send a case back to its unit for completion."""
    return _review(actor, submission_id, "return", reason)


def reject_submission(*, actor, submission_id: int, reason: str) -> Submission:
    """Staff turn a case down, with the reason told to the unit."""
    return _review(actor, submission_id, "reject", reason)
