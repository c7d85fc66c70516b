"""Every write on the station network: the console, the web pages, the public forms and the API call these."""

import math
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import audit, crypto, deadlines, divisions, notifications, outbox, policies, scope, uploads, webhooks
from congress.errors import Forbidden, RuleViolation
from congress.models import Congress, Organisation, OrganisationKind, Role, RoleMembership
from deputies import services as roster
from deputies.models import Mandate, MandateStatus

from . import workflow
from .models import (
    Activity,
    CitizenOpinion,
    CriterionScore,
    DeclineReason,
    DeputyQrCode,
    OpinionAttachment,
    OpinionStatus,
    RatingCriterion,
    Reception,
    ReceptionStatus,
    Route,
    StarRating,
    Station,
    StationHonour,
    Stationing,
    Visit,
)

TRIAGE_DEADLINE = "opinion.triage"
REFERRAL_DEADLINE = "opinion.referral"
FEEDBACK_DEADLINE = "opinion.feedback"


def _managers_of(deadline) -> set[int]:
    opinion = deadline.subject
    if opinion is None or not opinion.station_id:
        return set()
    return set(Station.managers.through.objects.filter(station_id=opinion.station_id).values_list("user_id", flat=True))


def register_deadline_kinds():
    from django.utils.translation import gettext_lazy

    webhooks.register_event("opinion.closed", gettext_lazy("a citizen opinion was closed with feedback"))

    deadlines.register_kind(TRIAGE_DEADLINE, gettext_lazy("triage of a citizen opinion"), _managers_of)
    deadlines.register_kind(REFERRAL_DEADLINE, gettext_lazy("reply to a referred citizen opinion"))
    deadlines.register_kind(FEEDBACK_DEADLINE, gettext_lazy("feedback to a citizen"), _managers_of)


def _after_commit(event: str, pk: int) -> None:
    from . import tasks

    outbox.enqueue(tasks.tell, event, pk)


# The network


def congress_for_region(region) -> Congress | None:
    """The congress of the region or, for a village, of the nearest region above that has one."""
    return Congress.objects.filter(region__code__in=divisions.ancestors(region.code)).order_by("-region__code").first()


def save_station(*, actor, station: Station, managers=None) -> Station:
    """Create or change a station; its managers get the station-manager role for its congress."""
    with transaction.atomic(), audit.acting_as(actor):
        if station.pk:
            current = Station.objects.select_for_update().get(pk=station.pk)
            scope.require(actor, "liaison_stations.change_network", current)
        station.full_clean()
        scope.require(actor, "liaison_stations.change_network", station)
        station.save()
        if managers is not None:
            station.managers.set(managers)
            sync_manager_roles(station)
    return station


def sync_manager_roles(station: Station) -> None:
    for user_id in station.managers.values_list("pk", flat=True):
        RoleMembership.objects.get_or_create(
            user_id=user_id, role=Role.STATION_MANAGER, congress_id=station.congress_id
        )


def _lock_station(station_id: int) -> Station:
    return Station.objects.select_for_update(of=("self",)).select_related("congress__region").get(pk=station_id)


def station_deputies(*, actor, station_id: int, mandate_ids, on: date | None = None) -> int:
    """Station deputies (进驻) at a station; deputies already stationed there are left as they are."""
    on = on or timezone.localdate()
    with transaction.atomic(), audit.acting_as(actor):
        station = _lock_station(station_id)
        scope.require(actor, "liaison_stations.run_station", station)
        mandates = Mandate.objects.filter(pk__in=list(mandate_ids)).exclude(status=MandateStatus.ENDED)
        already = set(
            Stationing.objects.filter(station=station, end_date__isnull=True).values_list("mandate_id", flat=True)
        )
        fresh = [
            Stationing(station=station, mandate_id=pk, start_date=on)
            for pk in mandates.values_list("pk", flat=True)
            if pk not in already
        ]
        Stationing.objects.bulk_create(fresh, batch_size=2000)
        audit.record(actor, station, "station_deputies", added=len(fresh))
    return len(fresh)


def station_region(*, actor, station_id: int, region_code: str, on: date | None = None) -> int:
    """Station every live deputy of the congresses in a region (and below) who is stationed nowhere yet."""
    live = scope.visible(actor, Mandate).exclude(status=MandateStatus.ENDED)
    unstationed = live.filter(region_code__startswith=region_code).exclude(
        pk__in=Stationing.objects.filter(end_date__isnull=True).values("mandate_id")
    )
    return station_deputies(actor=actor, station_id=station_id, mandate_ids=unstationed.values_list("pk", flat=True),
                            on=on)  # fmt: skip


def end_stationing(*, actor, stationing_id: int, on: date | None = None) -> Stationing:
    on = on or timezone.localdate()
    with transaction.atomic(), audit.acting_as(actor):
        stationing = Stationing.objects.select_for_update(of=("self",)).select_related("station").get(pk=stationing_id)
        scope.require(actor, "liaison_stations.run_station", stationing.station)
        if stationing.end_date is not None:
            return stationing
        if on < stationing.start_date:
            raise RuleViolation(fields={"date": [_("The end cannot precede the start.")]})
        stationing.end_date = on
        stationing.save(update_fields=["end_date", "updated_at"])
    return stationing


# Reception days


def _notice_ok(station: Station, day: date) -> bool:
    notice = policies.policy(station.congress, "station.reception_notice")
    return (day - timezone.localdate()).days >= notice


def _check_duty_roster(station: Station, mandate_ids) -> list[Mandate]:
    mandates = list(Mandate.objects.filter(pk__in=list(mandate_ids)).select_related("person"))
    if not mandates:
        raise RuleViolation(fields={"deputies": [_("Choose at least one deputy on duty.")]})
    if any(m.status != MandateStatus.ACTIVE for m in mandates):
        raise RuleViolation(fields={"deputies": [_("Only deputies with an active mandate can be on duty.")]})
    return mandates


def plan_reception(
    *, actor, station_id: int, day: date, start: time, end: time, topic: str = "", mandate_ids=()
) -> Reception:
    """Plan a reception day with the deputies on duty; it is public once published."""
    with transaction.atomic(), audit.acting_as(actor):
        station = _lock_station(station_id)
        scope.require(actor, "liaison_stations.run_station", station)
        if day < timezone.localdate():
            raise RuleViolation(fields={"date": [_("A reception day cannot be planned in the past.")]})
        if end <= start:
            raise RuleViolation(fields={"end_time": [_("The end must come after the start.")]})
        mandates = _check_duty_roster(station, mandate_ids)
        reception = Reception.objects.create(
            station=station, date=day, start_time=start, end_time=end, topic=topic[:200], created_by=actor
        )
        reception.deputies.set(mandates)
        audit.record(actor, reception, "plan")
    return reception


def publish_reception(*, actor, reception_id: int) -> Reception:
    """Publish a reception day on the station's page, at least the notice period ahead; the deputies are told."""
    with transaction.atomic(), audit.acting_as(actor):
        reception = (
            Reception.objects.select_for_update(of=("self",)).select_related("station__congress").get(pk=reception_id)
        )
        scope.require(actor, "liaison_stations.run_station", reception.station)
        target = workflow.check_reception(reception, "publish")
        if not _notice_ok(reception.station, reception.date):
            notice = policies.policy(reception.station.congress, "station.reception_notice")
            raise RuleViolation(
                fields={"date": [_("Reception days are announced at least %(days)s days ahead.") % {"days": notice}]}
            )
        reception.status, reception.published_at = target, timezone.now()
        reception.save(update_fields=["status", "published_at", "updated_at"])
        audit.record(actor, reception, "publish", {"status": (ReceptionStatus.PLANNED, target)})
        _after_commit("reception_published", reception.pk)
    return reception


def cancel_reception(*, actor, reception_id: int, reason: str = "") -> Reception:
    with transaction.atomic(), audit.acting_as(actor):
        reception = Reception.objects.select_for_update(of=("self",)).select_related("station").get(pk=reception_id)
        scope.require(actor, "liaison_stations.run_station", reception.station)
        before = reception.status
        target = workflow.check_reception(reception, "cancel")
        reception.status = target
        reception.published_at = reception.published_at or timezone.now()
        reception.save(update_fields=["status", "published_at", "updated_at"])
        audit.record(actor, reception, "cancel", {"status": (before, target)}, reason=reason)
        if before == ReceptionStatus.PUBLISHED:
            _after_commit("reception_cancelled", reception.pk)
    return reception


def tell_deputies(reception_id: int, event: str) -> None:
    reception = Reception.objects.select_related("station").get(pk=reception_id)
    users = [m.person.user for m in reception.deputies.select_related("person__user") if m.person.user_id]
    when = f"{reception.date:%Y-%m-%d} {reception.start_time:%H:%M}-{reception.end_time:%H:%M}"
    if event == "published":
        title = _("You are on duty at %(station)s on %(when)s") % {"station": reception.station, "when": when}
    else:
        title = _("Reception day cancelled: %(station)s, %(when)s") % {"station": reception.station, "when": when}
    notifications.send_once(
        f"reception:{reception.pk}:{event}", users, title, reception.topic, reception.station.get_absolute_url()
    )


def record_reception(*, actor, reception_id: int, present_ids, citizens_received: int, summary: str = "") -> Reception:
    """Record a held reception day: each deputy present gets a visit in their duty record."""
    with transaction.atomic(), audit.acting_as(actor):
        reception = Reception.objects.select_for_update(of=("self",)).select_related("station").get(pk=reception_id)
        scope.require(actor, "liaison_stations.run_station", reception.station)
        target = workflow.check_reception(reception, "record")
        if reception.date > timezone.localdate():
            raise RuleViolation(fields={"date": [_("A reception day can be recorded on the day or after.")]})
        on_duty = set(reception.deputies.values_list("pk", flat=True))
        present = set(present_ids)
        if present - on_duty:
            raise RuleViolation(fields={"present": [_("Only deputies on the duty roster can be marked present.")]})
        reception.status, reception.citizens_received, reception.summary = target, citizens_received, summary
        reception.save(update_fields=["status", "citizens_received", "summary", "updated_at"])
        visited_at = timezone.make_aware(datetime.combine(reception.date, reception.start_time))
        for mandate in Mandate.objects.filter(pk__in=present).order_by("pk"):
            _create_visit(
                mandate=mandate, station=reception.station, activity=Activity.RECEPTION, visited_at=visited_at,
                citizens_received=citizens_received, topics=reception.topic, channel=Visit.Channel.RECEPTION,
                actor=actor, reception=reception, flag_reason="",
            )  # fmt: skip
        audit.record(actor, reception, "record", {"status": (ReceptionStatus.PUBLISHED, target)},
                     present=len(present), citizens=citizens_received)  # fmt: skip
    return reception


# Visits (进站履职)


def is_stationed(mandate_id: int, station_id: int) -> bool:
    return Stationing.objects.filter(mandate_id=mandate_id, station_id=station_id, end_date__isnull=True).exists()


def check_in(
    *,
    actor,
    station_id: int,
    mandate_id: int,
    activity: str,
    visited_at: datetime,
    citizens_received: int = 0,
    topics: str = "",
    channel: str = Visit.Channel.PORTAL,
    submission_key: str = "",
) -> Visit:
    """Record a deputy's visit to a station; it enters the duty record. A repeated submission returns the first."""
    if submission_key:
        existing = Visit.objects.filter(mandate_id=mandate_id, submission_key=submission_key).first()
        if existing is not None:
            return existing
    if activity not in Activity.values:
        raise RuleViolation(fields={"activity": [_("Choose one of the activity types.")]})
    if visited_at > timezone.now() + timedelta(minutes=5):
        raise RuleViolation(fields={"visited_at": [_("A visit cannot be recorded for a time in the future.")]})
    if citizens_received < 0:
        raise RuleViolation(fields={"citizens_received": [_("The number cannot be negative.")]})
    try:
        with transaction.atomic(), audit.acting_as(actor):
            mandate = (
                Mandate.objects.select_for_update(of=("self",)).select_related("person", "congress").get(pk=mandate_id)
            )
            station = Station.objects.get(pk=station_id)
            scope.require(actor, "liaison_stations.check_in", (mandate, station))
            if mandate.status != MandateStatus.ACTIVE:
                raise RuleViolation(_("Only a deputy with an active mandate records visits."))
            if not station.is_active:
                raise RuleViolation(_("This station is closed."))
            flag_reason = ""
            if not is_stationed(mandate.pk, station.pk):
                if not policies.policy(mandate.congress, "station.unstationed_visits"):
                    raise RuleViolation(_("You are not stationed at this station."))
                flag_reason = _("not stationed at this station")
            return _create_visit(
                mandate=mandate, station=station, activity=activity, visited_at=visited_at,
                citizens_received=citizens_received, topics=topics, channel=channel, actor=actor,
                flag_reason=flag_reason, submission_key=submission_key,
            )  # fmt: skip
    except IntegrityError:
        # Two submissions of one form raced past the first check: the other one is the visit.
        existing = Visit.objects.filter(mandate_id=mandate_id, submission_key=submission_key).first()
        if submission_key and existing is not None:
            return existing
        raise


def _create_visit(
    *, mandate, station, activity, visited_at, citizens_received, topics, channel, actor, flag_reason,
    reception=None, submission_key="",
) -> Visit:  # fmt: skip
    visit = Visit.objects.create(
        mandate=mandate, station=station, reception=reception, activity=activity, visited_at=visited_at,
        citizens_received=citizens_received, topics=topics[:500], channel=channel, flagged=bool(flag_reason),
        flag_reason=flag_reason, submission_key=submission_key, recorded_by=actor,
    )  # fmt: skip
    roster.record_duty(
        mandate=mandate,
        kind_code="station_visit",
        on=timezone.localtime(visited_at).date(),
        title=f"{station.name}：{Activity(activity).label}",
        source=f"visit:{visit.pk}",
    )
    return visit


def remind_visit_quota(today: date | None = None) -> int:
    """In the last month of each quarter, tell deputies behind their pro-rata visit quota (once a quarter)."""
    from congress.models import PolicyValue

    today = today or timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    if today.month % 3 != 0:
        return 0
    year = today.year
    overrides = dict(PolicyValue.objects.filter(key="station.visits_per_year").values_list("congress_id", "value"))
    default = policies.REGISTRY["station.visits_per_year"].default
    key = f"station-quota:{year}-Q{quarter}"
    rows = (
        Mandate.objects.filter(status=MandateStatus.ACTIVE, person__user__isnull=False, person__user__is_active=True)
        .annotate(visit_count=Count("visits", filter=Q(visits__year=year)))
        .values_list("person__user_id", "congress_id", "visit_count", "congress__name")
        .iterator(chunk_size=5000)
    )
    messages = []
    for user_id, congress_id, visits, congress_name in rows:
        quota = int(overrides.get(congress_id, default))
        target = math.ceil(quota * quarter / 4)
        if visits < target:
            messages.append(
                (
                    user_id,
                    _("Station visits behind schedule"),
                    _(
                        "%(congress)s: %(visits)s of %(quota)s station visits this year; %(target)s expected by the end of this quarter."  # noqa: E501
                    )
                    % {"congress": congress_name, "visits": visits, "quota": quota, "target": target},
                    "/stations/mine/",
                )
            )
    # One message per deputy and quarter, even for a deputy with mandates in several congresses.
    merged: dict[int, tuple] = {}
    for user_id, title, body, link in messages:
        if user_id in merged:
            merged[user_id] = (user_id, title, merged[user_id][2] + "\n" + body, link)
        else:
            merged[user_id] = (user_id, title, body, link)
    return notifications.send_each(key, merged.values())


# Citizens' opinions


def deputy_station(mandate: Mandate) -> Station | None:
    """Where an opinion left on a deputy's QR page is handled: the station they are stationed at first."""
    stationing = (
        Stationing.objects.filter(mandate=mandate, end_date__isnull=True, station__is_active=True)
        .select_related("station")
        .order_by("start_date", "pk")
        .first()
    )
    return stationing.station if stationing else None


def submit_opinion(
    *,
    station: Station | None = None,
    qr: DeputyQrCode | None = None,
    phone: str,
    category: str,
    content: str,
    citizen_name: str = "",
    files=(),
    submission_key: str = "",
    channel: str = "",
    actor=None,
    reception: Reception | None = None,
) -> CitizenOpinion:
    """Take a citizen's opinion (public form, reception record or API); returns it with its tracking code.

    The same form submitted twice (same key and phone) returns the first opinion."""
    from deputies.validators import is_mobile

    if submission_key:
        existing = CitizenOpinion.objects.filter(
            phone_hash=crypto.phone_index(phone), submission_key=submission_key
        ).first()
        if existing is not None:
            return existing
    errors = {}
    if not is_mobile(phone or ""):
        errors["phone"] = [_("Enter an 11-digit mobile number so we can tell you the result.")]
    if not content.strip():
        errors["content"] = [_("Write your opinion.")]
    if len(content) > 2000:
        errors["content"] = [_("At most 2000 characters.")]
    from .models import Category

    if category not in Category.values:
        errors["category"] = [_("Choose a category.")]
    checked = []
    try:
        checked = uploads.check_all(files)
    except RuleViolation as exc:
        errors.update(exc.fields)
    if errors:
        raise RuleViolation(fields=errors)
    addressed_to = qr.mandate if qr else None
    if station is None and addressed_to is not None:
        station = deputy_station(addressed_to)
    congress = station.congress if station else addressed_to.congress
    region_code = station.region_code if station else addressed_to.congress.region.code
    if not channel:
        channel = CitizenOpinion.Channel.DEPUTY_PAGE if qr else CitizenOpinion.Channel.STATION_PAGE
    try:
        with transaction.atomic(), audit.acting_as(actor):
            opinion = CitizenOpinion.objects.create(
                station=station, addressed_to=addressed_to, congress=congress, region_code=region_code,
                reception=reception, channel=channel, citizen_name=citizen_name[:50], phone=phone,
                category=category, content=content, received_at=timezone.now(), submission_key=submission_key,
                recorded_by=actor if getattr(actor, "pk", None) else None,
            )  # fmt: skip
            for upload, content_type in checked:
                OpinionAttachment.objects.create(
                    opinion=opinion, file=upload, original_name=upload.name[:200], content_type=content_type,
                    size=upload.size,
                )  # fmt: skip
            deadlines.open_deadline(
                subject=opinion, kind=TRIAGE_DEADLINE, start=timezone.localdate(),
                value=policies.policy(congress, "opinion.triage_period"), unit=policies.WORKDAYS, congress=congress,
            )  # fmt: skip
            _after_commit("opinion_received", opinion.pk)
    except IntegrityError:
        existing = CitizenOpinion.objects.filter(
            phone_hash=crypto.phone_index(phone), submission_key=submission_key
        ).first()
        if submission_key and existing is not None:
            return existing
        raise
    return opinion


def record_opinion(*, actor, station_id: int, reception_id: int | None = None, **fields) -> CitizenOpinion:
    """A deputy or manager records an opinion heard at a reception."""
    station = Station.objects.select_related("congress").get(pk=station_id)
    reception = Reception.objects.filter(pk=reception_id, station=station).first() if reception_id else None
    deputy_here = Mandate.objects.filter(
        person__user=actor, status=MandateStatus.ACTIVE, stationings__station=station, stationings__end_date=None
    ).exists()
    if not (deputy_here or scope.can(actor, "liaison_stations.run_station", station)):
        raise Forbidden()
    return submit_opinion(station=station, actor=actor, reception=reception, channel=CitizenOpinion.Channel.RECEPTION,
                          **fields)  # fmt: skip


def tell_station(opinion_id: int) -> None:
    opinion = CitizenOpinion.objects.select_related("station", "addressed_to__person").get(pk=opinion_id)
    users = list(opinion.station.managers.filter(is_active=True)) if opinion.station_id else []
    if opinion.addressed_to_id and opinion.addressed_to.person.user_id:
        users.append(opinion.addressed_to.person.user)
    notifications.send_once(
        f"opinion:{opinion.pk}:received",
        users,
        _("New citizen opinion %(code)s") % {"code": opinion.tracking_code},
        opinion.get_category_display(),
        opinion.get_absolute_url(),
    )


def _lock_opinion(opinion_id: int) -> CitizenOpinion:
    return (
        CitizenOpinion.objects.select_for_update(of=("self",)).select_related("congress", "station").get(pk=opinion_id)
    )


def triage(
    *,
    actor,
    opinion_id: int,
    route: str,
    answer: str = "",
    unit_id: int | None = None,
    mandate_id: int | None = None,
    decline_reason: str = "",
    note: str = "",
) -> CitizenOpinion:
    """Route an opinion: answered on the spot, referred to a responsible body, taken up by a deputy, or declined."""
    action = {
        Route.ANSWERED: "answer",
        Route.REFERRED: "refer",
        Route.TO_SUGGESTION: "to_suggestion",
        Route.DECLINED: "decline",
    }.get(route)
    if action is None:
        raise RuleViolation(fields={"route": [_("Choose a route.")]})
    with transaction.atomic(), audit.acting_as(actor):
        opinion = _lock_opinion(opinion_id)
        scope.require(actor, "liaison_stations.triage", opinion)
        before = opinion.status
        target = workflow.check_opinion(opinion, action)
        today = timezone.localdate()
        if route == Route.ANSWERED:
            if not answer.strip():
                raise RuleViolation(fields={"answer": [_("Write the answer given on the spot.")]})
            opinion.answer = answer
        elif route == Route.REFERRED:
            unit = Organisation.objects.filter(pk=unit_id, kind=OrganisationKind.HANDLING_UNIT, is_active=True).first()
            if unit is None:
                raise RuleViolation(fields={"unit": [_("Choose the responsible body to refer the opinion to.")]})
            opinion.referred_unit = unit
            opinion.unit_reply, opinion.unit_replied_at = "", None
            due = deadlines.open_deadline(
                subject=opinion, kind=REFERRAL_DEADLINE, start=today,
                value=policies.policy(opinion.congress, "opinion.referral_period"), unit=policies.WORKDAYS,
                congress=opinion.congress, responsible_org=unit,
            )  # fmt: skip
            opinion.referral_due = due.due_date
            opinion.answer = note
        elif route == Route.TO_SUGGESTION:
            mandate = Mandate.objects.filter(pk=mandate_id, status=MandateStatus.ACTIVE).first()
            if mandate is None:
                raise RuleViolation(fields={"deputy": [_("Choose the deputy who takes the opinion up.")]})
            opinion.taken_up_by = mandate
            opinion.answer = note
            from suggestions import services as suggestions

            suggestions.draft_from_opinion(opinion=opinion, mandate=mandate)
        else:
            if decline_reason not in DeclineReason.values:
                raise RuleViolation(fields={"decline_reason": [_("Choose why the opinion is declined.")]})
            opinion.decline_reason = decline_reason
            opinion.answer = note
        opinion.status, opinion.route, opinion.triaged_at = target, route, timezone.now()
        opinion.save()
        deadlines.close_deadline(opinion, TRIAGE_DEADLINE)
        if target != OpinionStatus.REFERRED:
            _open_feedback_clock(opinion)
        audit.record(actor, opinion, action, {"status": (before, target)}, route=route)
        if route == Route.REFERRED:
            _after_commit("opinion_referred", opinion.pk)
        elif route == Route.TO_SUGGESTION:
            _after_commit("opinion_taken_up", opinion.pk)
    return opinion


def _open_feedback_clock(opinion: CitizenOpinion) -> None:
    deadlines.open_deadline(
        subject=opinion, kind=FEEDBACK_DEADLINE, start=timezone.localdate(),
        value=policies.policy(opinion.congress, "opinion.feedback_period"), unit=policies.WORKDAYS,
        congress=opinion.congress,
    )  # fmt: skip


def tell_unit(opinion_id: int) -> None:
    opinion = CitizenOpinion.objects.select_related("referred_unit").get(pk=opinion_id)
    officers = RoleMembership.objects.filter(role=Role.UNIT_OFFICER, organisation=opinion.referred_unit).values_list(
        "user", flat=True
    )
    from congress.models import User

    notifications.send_once(
        f"opinion:{opinion.pk}:referred:{opinion.referred_unit_id}",
        User.objects.filter(pk__in=officers, is_active=True),
        _("Citizen opinion %(code)s referred to your unit") % {"code": opinion.tracking_code},
        _("Reply by %(date)s.") % {"date": opinion.referral_due.isoformat()},
        opinion.get_absolute_url(),
    )


def tell_suggestion_replied(sender, suggestion, status, **kwargs) -> None:
    """The suggestion an opinion became has its reply: the station can now give the citizen feedback."""
    if status != "replied" or not suggestion.opinion_id:
        return
    opinion = CitizenOpinion.objects.select_related("station").get(pk=suggestion.opinion_id)
    users = list(opinion.station.managers.filter(is_active=True)) if opinion.station_id else []
    transaction.on_commit(
        lambda: notifications.send_once(
            f"opinion:{opinion.pk}:suggestion_replied:{suggestion.pk}",
            users,
            _("The suggestion made from citizen opinion %(code)s has its reply") % {"code": opinion.tracking_code},
            _("Give the citizen feedback to close the opinion."),
            opinion.get_absolute_url(),
        )
    )


def tell_deputy_taken_up(opinion_id: int) -> None:
    opinion = CitizenOpinion.objects.select_related("taken_up_by__person__user").get(pk=opinion_id)
    user = opinion.taken_up_by.person.user
    if user is not None:
        notifications.send_once(
            f"opinion:{opinion.pk}:taken_up",
            [user],
            _("Citizen opinion %(code)s for you to take up as a suggestion") % {"code": opinion.tracking_code},
            opinion.content[:200],
            opinion.get_absolute_url(),
        )


def unit_reply(*, actor, opinion_id: int, reply: str) -> CitizenOpinion:
    """The responsible body answers a referred opinion; the station then gives the citizen feedback."""
    with transaction.atomic(), audit.acting_as(actor):
        opinion = _lock_opinion(opinion_id)
        scope.require(actor, "liaison_stations.unit_reply", opinion)
        target = workflow.check_opinion(opinion, "unit_reply")
        if not reply.strip():
            raise RuleViolation(fields={"reply": [_("Write the reply.")]})
        opinion.status, opinion.unit_reply, opinion.unit_replied_at = target, reply, timezone.now()
        opinion.save(update_fields=["status", "unit_reply", "unit_replied_at", "updated_at"])
        deadlines.close_deadline(opinion, REFERRAL_DEADLINE)
        _open_feedback_clock(opinion)
        audit.record(actor, opinion, "unit_reply", {"status": (OpinionStatus.REFERRED, target)})
    return opinion


def give_feedback(*, actor, opinion_id: int, feedback: str) -> CitizenOpinion:
    """Record the feedback given to the citizen; this, and only this, closes the opinion."""
    with transaction.atomic(), audit.acting_as(actor):
        opinion = _lock_opinion(opinion_id)
        scope.require(actor, "liaison_stations.triage", opinion)
        before = opinion.status
        target = workflow.check_opinion(opinion, "feedback")
        if not feedback.strip():
            raise RuleViolation(fields={"feedback": [_("Write what the citizen was told.")]})
        now = timezone.now()
        opinion.status, opinion.feedback, opinion.feedback_at, opinion.closed_at = target, feedback, now, now
        opinion.save(update_fields=["status", "feedback", "feedback_at", "closed_at", "updated_at"])
        deadlines.close_deadline(opinion, FEEDBACK_DEADLINE)
        audit.record(actor, opinion, "feedback", {"status": (before, target)})
        webhooks.emit(
            "opinion.closed",
            {"opinion": opinion.pk, "tracking_code": opinion.tracking_code, "route": opinion.route,
             "closed_at": opinion.closed_at, "station": opinion.station_id, "congress": opinion.congress_id},
            region_code=opinion.region_code,
        )  # fmt: skip
    return opinion


def track(code: str, phone_tail: str) -> CitizenOpinion | None:
    """A citizen follows an opinion with its code and the last four digits of the phone they gave."""
    code = (code or "").strip().upper()
    phone_tail = (phone_tail or "").strip()
    if len(code) < 6 or len(phone_tail) != 4 or not phone_tail.isdigit():
        return None
    return (
        CitizenOpinion.objects.select_related("station", "referred_unit")
        .filter(tracking_code=code, phone_tail=phone_tail)
        .first()
    )


def qr_code_for(*, actor, mandate: Mandate) -> DeputyQrCode:
    if mandate.person.user_id != actor.pk:
        scope.require(actor, "deputies.change_roster", mandate)
    return DeputyQrCode.objects.get_or_create(mandate=mandate)[0]


# Star ratings (星级评定)


def stars_for(score, congress) -> int:
    for stars in (5, 4, 3, 2):
        if score >= policies.policy(congress, f"station.star_{stars}_score"):
            return stars
    return 1


def evaluate_station(*, actor, station_id: int, year: int, scores: dict, note: str = "") -> StarRating:
    """Score a station against its congress's checklist for a year; the weighted score gives its stars."""
    from decimal import Decimal

    with transaction.atomic(), audit.acting_as(actor):
        station = _lock_station(station_id)
        scope.require(actor, "liaison_stations.evaluate", station)
        if year > timezone.localdate().year:
            raise RuleViolation(fields={"year": [_("A year still to come cannot be evaluated.")]})
        criteria = list(RatingCriterion.objects.filter(congress=station.congress, is_active=True))
        if not criteria:
            raise RuleViolation(_("The congress has no star-rating checklist yet."))
        missing = [c.name for c in criteria if c.pk not in scores]
        if missing:
            raise RuleViolation(
                fields={"scores": [_("Score every criterion: %(names)s") % {"names": "、".join(missing)}]}
            )
        if any(not 0 <= int(scores[c.pk]) <= 100 for c in criteria):
            raise RuleViolation(fields={"scores": [_("Scores run from 0 to 100.")]})
        total_weight = sum(c.weight for c in criteria)
        score = (Decimal(sum(c.weight * int(scores[c.pk]) for c in criteria)) / total_weight).quantize(Decimal("0.01"))
        stars = stars_for(score, station.congress)
        before = StarRating.objects.filter(station=station, year=year).values_list("stars", flat=True).first()
        rating, _created = StarRating.objects.update_or_create(
            station=station, year=year, defaults={"score": score, "stars": stars, "note": note, "evaluated_by": actor}
        )
        rating.scores.all().delete()
        CriterionScore.objects.bulk_create(
            [CriterionScore(rating=rating, criterion=c, weight=c.weight, score=int(scores[c.pk])) for c in criteria]
        )
        latest = station.ratings.order_by("-year").first()
        station.stars = latest.stars
        station.save(update_fields=["stars", "updated_at"])
        audit.record(actor, rating, "evaluate", {"stars": (before or "", stars)}, score=str(score))
    return rating


def record_honour(*, station_id: int, year: int, title: str, on: date, source: str, link: str = "") -> StationHonour:
    """Put an honour on a station's star record (a demonstration-station selection, say); with the same
    source it is recorded once, so a retried task adds nothing."""
    with transaction.atomic():
        honour, created = StationHonour.objects.get_or_create(
            source=source, defaults={"station_id": station_id, "year": year, "title": title[:300], "awarded_on": on,
                                     "link": link},
        )  # fmt: skip
        if created:
            audit.record(None, honour.station, "honour", {"honour": ("", honour.title)}, source=source)
    return honour


def remind_handlers(*, actor, opinion_ids) -> int:
    """Remind now whoever owes the next step on these citizen opinions (the station routing or answering it, the
    unit it was referred to); returns how many reminders were stored."""
    with transaction.atomic():
        opinions = list(CitizenOpinion.objects.filter(pk__in=opinion_ids).order_by("pk"))
        for opinion in opinions:
            scope.require(actor, "liaison_stations.triage", opinion)
        return deadlines.remind_now(actor=actor, subjects=opinions)
