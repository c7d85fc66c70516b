"""The expert pools (法律专家库 and others): every write on pools and experts, and the experts' invitations to
activities. The console pages and the API call these.

An expert belongs to one congress; only its staff (and its integration clients) read or change them. Their phone
and e-mail are personal data: stored encrypted, shown masked, and shown in full only by `reveal_contact`, which
leaves an access record. An expert invited to an activity becomes a non-deputy participant linked to them, once
per activity (a database constraint); they have no account, so the office records their answer, and they are told
by SMS and e-mail from the invitation's transaction (the SMS outbox and the outbox), never after it."""

from types import SimpleNamespace

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import audit, notifications, outbox, personal_data, scope, sms
from congress.crypto import phone_index
from congress.errors import RuleViolation

from .models import (
    Activity,
    ActivityStatus,
    Expert,
    ExpertAnswer,
    ExpertPool,
    Participant,
    ParticipantKind,
    split_expertise,
)
from .rules import congress_ids_of

# Experts may be invited while deputies may be (services.invite): until the activity's report is submitted.
INVITING_STATES = (ActivityStatus.PLANNED, ActivityStatus.INVITING, ActivityStatus.UNDER_WAY)


def mask_email(value: str) -> str:
    """li***@example.com: the first two characters of the name and the domain stay readable."""
    if not value:
        return value
    name, _at, domain = value.partition("@")
    return f"{name[:2]}***@{domain}" if domain else "*" * len(value)


# Pools and experts


def save_pool(*, actor, pool: ExpertPool) -> ExpertPool:
    """Add or rename one of a congress's expert pools (a code list its staff extend)."""
    with transaction.atomic(), audit.acting_as(actor):
        scope.require(actor, "activities.manage_experts", pool)
        pool.full_clean()
        pool.save()
    return pool


def _pools_of(actor, congress_id: int, pool_ids) -> list[ExpertPool]:
    if not pool_ids:
        raise RuleViolation(fields={"pools": [_("Choose at least one expert pool.")]})
    return scope.referenced(
        scope.visible(actor, ExpertPool).filter(congress_id=congress_id), list(pool_ids), field="pools",
        message=_("Choose pools of the expert's own congress."),
    )  # fmt: skip


def save_expert(*, actor, expert: Expert, pool_ids) -> Expert:
    """Add an expert to a congress's pools or change them; one expert per phone in a congress."""
    with transaction.atomic(), audit.acting_as(actor):
        if expert.pk:
            current = Expert.objects.select_for_update().filter(pk=expert.pk).first()
            if current is None:
                raise RuleViolation(_("The expert does not exist."))
            scope.require(actor, "activities.manage_experts", current)
            if current.archived:
                raise RuleViolation(_("The expert is archived; archived experts are not changed."))
            if current.congress_id != expert.congress_id:
                raise RuleViolation(fields={"congress": [_("An expert stays with their congress.")]})
        else:
            expert.created_by = actor
        scope.require(actor, "activities.manage_experts", expert)
        expert.expertise = "、".join(split_expertise(expert.expertise))
        expert.full_clean()
        pools = _pools_of(actor, expert.congress_id, pool_ids)
        if (
            expert.phone
            and Expert.objects.filter(congress_id=expert.congress_id, phone_hash=phone_index(expert.phone))
            .exclude(pk=expert.pk)
            .exists()
        ):
            raise RuleViolation(fields={"phone": [_("An expert with this phone is already in the congress's pools.")]})
        expert.save()
        expert.pools.set(pools)
    return expert


def archive_expert(*, actor, expert_id: int) -> Expert:
    """Take an expert out of the pools: kept, with the activities they took part in, but no longer invited."""
    with transaction.atomic(), audit.acting_as(actor):
        expert = Expert.objects.select_for_update().filter(pk=expert_id).first()
        if expert is None:
            raise RuleViolation(_("The expert does not exist."))
        scope.require(actor, "activities.manage_experts", expert)
        if expert.archived:
            raise RuleViolation(_("The expert is already archived."))
        expert.archived_at = timezone.now()
        expert.save(update_fields=["archived_at", "updated_at"])
        audit.record(actor, expert, "archive")
    return expert


def reveal_contact(*, actor, expert_id: int) -> Expert:
    """The expert's full phone and e-mail, for their congress's staff to reach them; every reveal leaves a
    personal-data access record on the expert."""
    expert = scope.visible(actor, Expert).filter(pk=expert_id).first()
    if expert is None:
        raise RuleViolation(_("The expert does not exist."))
    scope.require(actor, "activities.manage_experts", expert)
    personal_data.seen(actor, expert, "page")
    return expert


# Invitations


def invitable_experts(actor, activity: Activity):
    """The experts the actor may invite to the activity: those of the pools of the actor's own congress, if it
    organises or co-organises the activity, not archived and available."""
    return (
        scope.visible(actor, Expert)
        .filter(congress_id__in=congress_ids_of(activity), archived_at__isnull=True, available=True)
        .exclude(participations__activity=activity)
    )


def invite_experts(*, actor, activity_id: int, expert_ids) -> list[Participant]:
    """Invite experts of the pools to an activity: each becomes a non-deputy participant linked to them, once per
    activity, and is told by SMS and e-mail (a planned activity's experts when its invitations are sent)."""
    from .services import _lock_activity

    wanted = sorted({str(pk) for pk in expert_ids})
    if not wanted:
        raise RuleViolation(fields={"experts": [_("Choose at least one expert.")]})
    with transaction.atomic(), audit.acting_as(actor):
        activity = _lock_activity(activity_id)
        scope.require(actor, "activities.invite", activity)
        if activity.status not in INVITING_STATES:
            raise RuleViolation(
                _("Rule “experts are invited until the report is submitted”: the activity is %(state)s.")
                % {"state": ActivityStatus(activity.status).label}
            )
        experts = scope.referenced(
            scope.visible(actor, Expert).filter(congress_id__in=congress_ids_of(activity)).order_by("pk"), wanted,
            field="experts", message=_("Choose experts of the pools of your own congress."),
        )  # fmt: skip
        experts = list(Expert.objects.select_for_update().filter(pk__in=[e.pk for e in experts]).order_by("pk"))
        archived = [e.name for e in experts if e.archived or not e.available]
        if archived:
            raise RuleViolation(
                fields={"experts": [_("Rule “only available experts of the pool are invited”: %(names)s archived or "
                                      "not available.") % {"names": "、".join(archived)}]}
            )  # fmt: skip
        already = set(
            Participant.objects.filter(activity=activity, expert__in=experts).values_list("expert__name", flat=True)
        )
        if already:
            raise RuleViolation(
                fields={"experts": [_("Rule “an expert is invited once per activity”: %(names)s already invited.")
                                    % {"names": "、".join(sorted(already))}]}
            )  # fmt: skip
        try:
            with transaction.atomic():
                invited = Participant.objects.bulk_create(
                    [
                        Participant(activity=activity, kind=ParticipantKind.EXPERT, name=e.name[:100], expert=e,
                                    affiliation=" ".join(p for p in (e.work_unit, e.title) if p)[:200],
                                    answer=ExpertAnswer.INVITED, invited_by=actor)
                        for e in experts
                    ]
                )  # fmt: skip
        except IntegrityError as exc:  # invited at the same moment by someone else
            raise RuleViolation(
                fields={"experts": [_("Rule “an expert is invited once per activity”: already invited.")]}
            ) from exc
        for participant in invited:
            audit.record(actor, participant, "invite_expert", expert=participant.expert_id, activity=activity.pk)
        if activity.status != ActivityStatus.PLANNED:
            tell_invited_experts(activity, invited)
    return invited


def tell_invited_experts(activity: Activity, participants=None) -> int:
    """Tell each invited expert not yet told, by SMS (the SMS outbox) and e-mail (the outbox), in the caller's
    transaction; `told_at` keeps it once."""
    from . import tasks

    if participants is None:
        participants = Participant.objects.filter(activity=activity, answer=ExpertAnswer.INVITED)
    ids = [p.pk for p in participants]
    rows = list(
        Participant.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, told_at__isnull=True, expert__isnull=False)
        .select_related("expert")
        .order_by("pk")
    )
    if not rows:
        return 0
    title, body = invitation_text(activity)
    texting = notifications.sms_available()
    for participant in rows:
        expert = participant.expert
        if expert.phone and texting:
            sms.queue(expert.phone, "notification", {"title": title, "body": body}, f"{title}：{body}",
                      congress=activity.congress)  # fmt: skip
        if expert.email:
            outbox.enqueue(tasks.email_expert, participant.pk)
    Participant.objects.filter(pk__in=[p.pk for p in rows]).update(told_at=timezone.now())
    return len(rows)


def invitation_text(activity: Activity) -> tuple[str, str]:
    title = _("Invitation: %(title)s") % {"title": activity.title}
    body = _("%(kind)s, %(start)s to %(end)s%(places)s. Please tell the congress office whether you can take part.") % {
        "kind": activity.kind.name, "start": activity.starts_on.isoformat(), "end": activity.ends_on.isoformat(),
        "places": f"，{activity.places}" if activity.places else ""}  # fmt: skip
    return title, body


def email_expert(participant_id: int) -> bool:
    """E-mail an invited expert their invitation, once: claimed with a conditional update, given back if sending
    fails so the retried task sends it."""
    from congress.emails import notification_message

    participant = Participant.objects.select_related("expert", "activity__kind").filter(pk=participant_id).first()
    if participant is None or participant.expert is None or not participant.expert.email:
        return False
    if not Participant.objects.filter(pk=participant_id, emailed_at__isnull=True).update(emailed_at=timezone.now()):
        return False
    title, body = invitation_text(participant.activity)
    try:
        notification_message(SimpleNamespace(title=title, body=body, link=""), participant.expert.email).send()
    except Exception:
        Participant.objects.filter(pk=participant_id).update(emailed_at=None)
        raise
    return True


def record_answer(*, actor, participant_id: int, answer: str, reason: str = "") -> Participant:
    """The office records an invited expert's answer (they have no account): accepted, or declined with a
    reason; it may be corrected until the activity is closed."""
    from .services import _check_not_closed, _lock_activity

    if answer not in (ExpertAnswer.ACCEPTED, ExpertAnswer.DECLINED):
        raise RuleViolation(fields={"answer": [_("Choose whether the expert accepted or declined.")]})
    reason = (reason or "").strip()
    if answer == ExpertAnswer.DECLINED and not reason:
        raise RuleViolation(fields={"reason": [_("Say why the invitation is declined.")]})
    activity_id = (
        Participant.objects.filter(pk=participant_id, expert__isnull=False).values_list("activity_id", flat=True)
    ).first()
    if activity_id is None:
        raise RuleViolation(_("The expert's invitation does not exist."))
    with transaction.atomic(), audit.acting_as(actor):
        activity = _lock_activity(activity_id)
        participant = (
            Participant.objects.select_for_update(of=("self",)).select_related("expert").get(pk=participant_id)
        )
        participant.activity = activity
        scope.require(actor, "activities.answer_for_expert", participant)
        _check_not_closed(activity)
        before = participant.answer
        participant.answer, participant.answered_at = answer, timezone.now()
        participant.decline_reason = reason[:500] if answer == ExpertAnswer.DECLINED else ""
        participant.save(update_fields=["answer", "answered_at", "decline_reason", "updated_at"])
        audit.record(actor, participant, "expert_answer", {"answer": (before, answer)}, reason=reason)
    return participant


def experts_of_activity(user, activity: Activity):
    """The activity's invited experts the user may see (their congress's staff see their contact masked)."""
    return (
        Participant.objects.filter(activity=activity, expert__in=scope.visible(user, Expert))
        .select_related("expert")
        .order_by("name", "pk")
    )


def search(queryset, *, pool=None, field: str = "", text: str = "", archived: bool = False):
    """The pool list's filters: a pool, a field of expertise, a name (or work unit); archived ones on request."""
    queryset = queryset.filter(archived_at__isnull=not archived)
    if pool:
        queryset = queryset.filter(pools=pool)
    if field.strip():
        queryset = queryset.filter(expertise__icontains=field.strip())
    if text.strip():
        queryset = queryset.filter(Q(name__icontains=text.strip()) | Q(work_unit__icontains=text.strip()))
    return queryset.distinct()
