"""The deputy's side before review: drafts and their files, co-signers, submission (or staff's intake of a paper
suggestion) and withdrawal."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import audit, policies, scope, uploads
from congress.errors import DomainError, Forbidden, RuleViolation
from deputies.models import Mandate, MandateStatus
from deputies.services import acting_mandates

from .. import signals, workflow
from ..models import Attachment, CoSigner, CoSignerStatus, Kind, Status, Suggestion
from .common import lock_suggestion

DRAFT_FIELDS = (
    "kind", "title", "content", "category", "session", "delegation", "delegation_votes_for", "delegation_members",
)  # fmt: skip


def _validate_fields(suggestion: Suggestion) -> None:
    errors = {}
    if suggestion.category_id and suggestion.category.congress_id != suggestion.congress_id:
        errors["category"] = [_("Choose a category of this congress.")]
    if suggestion.session_id and suggestion.session.term_id != suggestion.term_id:
        errors["session"] = [_("Choose a session of the deputy's term.")]
    if suggestion.delegation_id and suggestion.delegation_id != suggestion.lead.delegation_id:
        errors["delegation"] = [_("You may submit only on behalf of your own delegation.")]
    if suggestion.kind not in Kind.values:
        errors["kind"] = [_("Choose a suggestion or a motion.")]
    votes, members = suggestion.delegation_votes_for, suggestion.delegation_members
    if votes is not None and members is not None and votes > members:
        errors["delegation_votes_for"] = [_("More members voted for than the delegation has.")]
    if errors:
        raise RuleViolation(fields=errors)


def create_draft(*, actor, mandate_id: int, fields: dict, cosigner_ids=None, opinion=None) -> Suggestion:
    """A deputy starts a suggestion or motion under one of their active mandates."""
    mandate = acting_mandates(actor).select_related("congress__region", "term").filter(pk=mandate_id).first()
    if mandate is None:
        raise Forbidden(_("Only a deputy with an active mandate may write a suggestion under it."))
    with transaction.atomic(), audit.acting_as(actor):
        return _new_draft(mandate, fields, cosigner_ids, opinion)


def _new_draft(mandate: Mandate, fields: dict, cosigner_ids, opinion=None) -> Suggestion:
    suggestion = Suggestion(lead=mandate, congress=mandate.congress, term=mandate.term, opinion=opinion)
    for name in DRAFT_FIELDS:
        if name in fields:
            setattr(suggestion, name, fields[name])
    _validate_fields(suggestion)
    suggestion.save()
    if cosigner_ids:
        _set_cosigners(suggestion, cosigner_ids)
    return suggestion


def prepare_draft(*, actor, mandate_id: int, fields: dict, cosigner_ids=None) -> Suggestion:
    """Staff prepare a draft in a deputy's name (from an activity's finding, say), with its co-signers invited:
    unlike an intake it is not submitted; the lead deputy completes and submits it, the co-signers confirm."""
    mandate = (
        Mandate.objects.select_related("congress__region", "term", "person")
        .filter(pk=mandate_id, status=MandateStatus.ACTIVE)
        .first()
    )
    if mandate is None:
        raise RuleViolation(fields={"lead": [_("Choose a deputy with an active mandate.")]})
    scope.require(actor, "suggestions.intake", mandate)
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = _new_draft(mandate, fields, cosigner_ids)
        audit.record(actor, suggestion, "prepare_draft", {}, cosigners=len(cosigner_ids or ()))
    return suggestion


def draft_from_opinion(*, opinion, mandate: Mandate) -> Suggestion:
    """A citizen's opinion taken up by a deputy becomes their draft, linked back to the opinion.

    Called by the station's triage, which has already checked that its actor may route the opinion; the
    deputy then completes and submits the draft. The citizen's contact details are not copied."""
    if mandate.status != MandateStatus.ACTIVE:
        raise RuleViolation(fields={"deputy": [_("Choose a deputy with an active mandate.")]})
    suggestion = Suggestion(
        lead=mandate, congress=mandate.congress, term=mandate.term, opinion=opinion,
        title=(_("Citizen opinion %(code)s") % {"code": opinion.tracking_code})[:200],
        content=opinion.content,
    )  # fmt: skip
    suggestion.save()
    audit.record(None, suggestion, "draft_from_opinion", {}, opinion=opinion.tracking_code)
    return suggestion


def save_draft(*, actor, suggestion_id: int, fields: dict, cosigner_ids=None) -> Suggestion:
    """Save a draft or a returned suggestion (the form autosaves through this)."""
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = lock_suggestion(suggestion_id)
        workflow.SUGGESTION.allow(actor, suggestion, "edit")
        for name in DRAFT_FIELDS:
            if name in fields:
                setattr(suggestion, name, fields[name])
        _validate_fields(suggestion)
        suggestion.save()
        if cosigner_ids is not None:
            _set_cosigners(suggestion, cosigner_ids)
    return suggestion


def _set_cosigners(suggestion: Suggestion, mandate_ids) -> None:
    wanted = {int(pk) for pk in mandate_ids} - {suggestion.lead_id}
    valid = set(
        Mandate.objects.filter(
            pk__in=wanted, congress_id=suggestion.congress_id, term_id=suggestion.term_id, status=MandateStatus.ACTIVE
        ).values_list("pk", flat=True)
    )
    if wanted - valid:
        raise RuleViolation(fields={"cosigners": [_("Co-signers must be active deputies of the same congress.")]})
    suggestion.cosigners.exclude(mandate_id__in=wanted).delete()
    existing = set(suggestion.cosigners.values_list("mandate_id", flat=True))
    new = [CoSigner(suggestion=suggestion, mandate_id=pk) for pk in sorted(wanted - existing)]
    CoSigner.objects.bulk_create(new)
    for cosigner in new:
        workflow.notify("cosign_invited", suggestion.pk, mandate_id=cosigner.mandate_id)


def save_form(*, actor, mandate_id: int, suggestion_id: int | None, fields: dict, cosigner_ids, files=(),
              submitting: bool = False) -> tuple[Suggestion, list[Attachment], DomainError | None]:  # fmt: skip
    """The deputy's form, saved as a draft or submitted: the draft created or saved, its files added, then the
    submission, all in one transaction (one flush to disk where the steps took two). A refused file or
    submission keeps the saved draft, as when each step committed alone: they run in savepoints, and the
    refusal comes back with the draft and the files added, for the form to show."""
    with transaction.atomic():
        if suggestion_id is None:
            suggestion = create_draft(actor=actor, mandate_id=mandate_id, fields=fields, cosigner_ids=cosigner_ids)
        else:
            suggestion = save_draft(actor=actor, suggestion_id=suggestion_id, fields=fields, cosigner_ids=cosigner_ids)
        added = []
        try:
            if files:
                added = add_attachments(actor=actor, suggestion_id=suggestion.pk, files=files)
            if submitting:
                submit(actor=actor, suggestion_id=suggestion.pk)
        except DomainError as refused:
            return suggestion, added, refused
    return suggestion, added, None


def add_attachments(*, actor, suggestion_id: int, files) -> list[Attachment]:
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = lock_suggestion(suggestion_id)
        workflow.SUGGESTION.allow(actor, suggestion, "edit")
        room = 5 - suggestion.attachments.count()
        checked = uploads.check_all(files, max_files=max(room, 0))
        return [
            Attachment.objects.create(
                suggestion=suggestion, file=upload, name=upload.name[:200], content_type=content_type, size=upload.size
            )
            for upload, content_type in checked
        ]


def remove_attachment(*, actor, attachment_id: int) -> None:
    """The deputy removes a file from a draft or a returned suggestion."""
    with transaction.atomic(), audit.acting_as(actor):
        attachment = Attachment.objects.select_related("suggestion").filter(pk=attachment_id).first()
        if attachment is None:
            raise RuleViolation(_("The attachment does not exist."))
        suggestion = lock_suggestion(attachment.suggestion_id)
        workflow.SUGGESTION.allow(actor, suggestion, "edit")
        audit.record(actor, suggestion, "remove_attachment", {}, name=attachment.name)
        attachment.file.delete(save=False)
        attachment.delete()


def respond_cosign(*, actor, cosigner_id: int, confirm: bool) -> CoSigner:
    """A deputy confirms or declines co-signing; possible until staff accept the suggestion."""
    with transaction.atomic(), audit.acting_as(actor):
        found = CoSigner.objects.filter(pk=cosigner_id).values_list("suggestion_id", flat=True).first()
        if found is None:
            raise RuleViolation(_("The co-signing request does not exist."))
        # The suggestion first, so acceptance (which drops open invitations) cannot slip in between.
        suggestion = lock_suggestion(found)
        cosigner = (
            CoSigner.objects.select_for_update(of=("self",)).select_related("mandate__person").get(pk=cosigner_id)
        )
        scope.require(actor, "suggestions.cosign", cosigner)
        if suggestion.status not in (Status.DRAFT, Status.SUBMITTED, Status.RETURNED):
            raise RuleViolation(_("The suggestion has been reviewed; co-signing is closed."))
        cosigner.status = CoSignerStatus.CONFIRMED if confirm else CoSignerStatus.DECLINED
        cosigner.responded_at = timezone.now()
        cosigner.save(update_fields=["status", "responded_at", "updated_at"])
        if not confirm and suggestion.status == Status.SUBMITTED:
            _return_if_short(actor, suggestion, cosigner)
    return cosigner


def _return_if_short(actor, suggestion: Suggestion, cosigner: CoSigner) -> None:
    """A co-signer withdrew from a submitted motion: below its threshold, it goes back to the lead deputy."""
    shortfall = motion_shortfall(suggestion)
    if shortfall is None:
        return
    needed, have = shortfall
    suggestion.review_comment = _(
        "%(name)s withdrew as co-signer: the motion has %(have)s of the %(needed)s deputies it needs. Find more "
        "co-signers, or submit it as a suggestion."
    ) % {"name": cosigner.mandate.person, "have": have, "needed": needed}
    workflow.SUGGESTION.allow(actor, suggestion, "fall_short").apply(
        fields=["review_comment"], withdrawn=str(cosigner.mandate.person), signatures=have, needed=needed
    )


def motion_threshold(suggestion: Suggestion) -> int:
    return int(policies.policy(suggestion.congress, "motion.cosigner_threshold"))


def signatures(suggestion: Suggestion) -> int:
    """The lead deputy and the co-signers who confirmed and are still deputies (a mandate that ended since does
    not count)."""
    return (
        1 + suggestion.cosigners.filter(status=CoSignerStatus.CONFIRMED, mandate__status=MandateStatus.ACTIVE).count()
    )


def motion_shortfall(suggestion: Suggestion) -> tuple[int, int] | None:
    """(deputies needed, deputies signed) of a motion below its threshold; None when it has enough, is a
    delegation's motion (its vote counts instead) or is a suggestion."""
    if suggestion.kind != Kind.MOTION or suggestion.delegation_id:
        return None
    needed, have = motion_threshold(suggestion), signatures(suggestion)
    return (needed, have) if have < needed else None


def check_motion_signatures(suggestion: Suggestion) -> None:
    """Refuse a motion below its threshold (at submission and again at acceptance)."""
    shortfall = motion_shortfall(suggestion)
    if shortfall is not None:
        needed, have = shortfall
        message = _(
            "A motion needs %(needed)s deputies jointly (you and the co-signers who confirmed); it has %(have)s."
        ) % {"needed": needed, "have": have}
        raise RuleViolation(fields={"cosigners": [message]})


def check_motion_session(suggestion: Suggestion) -> None:
    """A motion is made for a session of the congress, unless the congress takes motions between sessions."""
    if suggestion.kind != Kind.MOTION or suggestion.session_id:
        return
    if not policies.policy(suggestion.congress, "motion.between_sessions"):
        raise RuleViolation(
            fields={"session": [_("This congress takes motions only for a session: choose the session.")]}
        )


def check_delegation_vote(suggestion: Suggestion) -> None:
    """A delegation's motion needs the recorded vote of more than half of all the delegation's members (not of
    those present); the total cannot be smaller than the delegation's deputies on the roster."""
    if suggestion.kind != Kind.MOTION or not suggestion.delegation_id:
        return
    votes, members = suggestion.delegation_votes_for, suggestion.delegation_members
    if votes is None or not members:
        raise RuleViolation(
            fields={"delegation_votes_for": [_("Record the delegation's vote: members voting for, of all members.")]}
        )
    on_roster = Mandate.objects.filter(delegation_id=suggestion.delegation_id, status=MandateStatus.ACTIVE).count()
    if members < on_roster:
        raise RuleViolation(
            fields={"delegation_members": [
                _("The delegation has %(n)s deputies on the roster; count all of them.") % {"n": on_roster}
            ]}
        )  # fmt: skip
    if votes * 2 <= members:
        message = _(
            "A delegation's motion needs more than half of all its %(members)s members; %(votes)s voted for."
        ) % {"members": members, "votes": votes}
        raise RuleViolation(fields={"delegation_votes_for": [message]})


def submit(*, actor, suggestion_id: int) -> Suggestion:
    """Submit a draft or a revised suggestion; a motion needs its co-signers (or a delegation) first."""
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = lock_suggestion(suggestion_id)
        _submit(workflow.SUGGESTION.allow(actor, suggestion, "submit"))
    return suggestion


def _submit(move) -> None:
    """Submit once the suggestion is complete, and a motion has its co-signers (or a delegation)."""
    suggestion = move.obj
    errors = {}
    if not suggestion.title.strip():
        errors["title"] = [_("Give the suggestion a title.")]
    if len(suggestion.content.strip()) < 20:
        errors["content"] = [_("State the problem and what you propose (at least 20 characters).")]
    if not suggestion.category_id:
        errors["category"] = [_("Choose a category.")]
    if errors:
        raise RuleViolation(fields=errors)
    check_motion_session(suggestion)
    check_motion_signatures(suggestion)
    check_delegation_vote(suggestion)
    suggestion.submitted_at = timezone.now()
    move.apply()


def intake(*, actor, mandate_id: int, fields: dict) -> Suggestion:
    """Staff, or the congress's integration client, enter a deputy's suggestion received on paper or from
    another system (代录): it is submitted in the deputy's name at once, and the deputy is told."""
    mandate = (
        Mandate.objects.select_related("congress__region", "term", "person")
        .filter(pk=mandate_id, status=MandateStatus.ACTIVE)
        .first()
    )
    if mandate is None:
        raise RuleViolation(fields={"mandate": [_("Choose a deputy with an active mandate.")]})
    scope.require(actor, "suggestions.intake", mandate)
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = Suggestion(lead=mandate, congress=mandate.congress, term=mandate.term)
        for name in DRAFT_FIELDS:
            if name in fields:
                setattr(suggestion, name, fields[name])
        _validate_fields(suggestion)
        suggestion.save()
        _submit(workflow.SUGGESTION.allow(actor, suggestion, "intake", rule_on=mandate))
    return suggestion


def withdraw(*, actor, suggestion_id: int, reason: str = "") -> Suggestion:
    """The lead deputy withdraws a suggestion before it is assigned."""
    with transaction.atomic(), audit.acting_as(actor):
        suggestion = lock_suggestion(suggestion_id)
        move = workflow.SUGGESTION.allow(actor, suggestion, "withdraw")
        if suggestion.merged.exists() or suggestion.merged_into_id:
            raise RuleViolation(_("The suggestion is merged with others; ask the staff to separate it first."))
        suggestion.withdraw_reason = reason
        move.apply()
        signals.status_changed.send(sender=Suggestion, suggestion=suggestion, status=Status.WITHDRAWN)
    return suggestion
