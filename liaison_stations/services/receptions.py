"""Reception days (接待日) and visits (进站履职): planning, publishing and recording a day, a deputy's check-in, and
the quarterly reminder of the visit quota."""

from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import audit, policies, scope
from congress.errors import RuleViolation
from deputies.models import Mandate, MandateStatus

from .. import notices, workflow
from .. import quotas as quota_rules
from ..models import Activity, Reception, ReceptionStatus, Station, Stationing, Visit
from .common import create_visit, lock_station, station_reach

# Reception days


def _notice_ok(station: Station, day: date) -> bool:
    notice = policies.policy(station.congress, "station.reception_notice")
    return (day - timezone.localdate()).days >= notice


def _check_duty_roster(station: Station, mandate_ids) -> list[Mandate]:
    mandate_ids = list(mandate_ids)
    if not mandate_ids:
        raise RuleViolation(fields={"deputies": [_("Choose at least one deputy on duty.")]})
    mandates = scope.referenced(
        station_reach(station).select_related("person"), mandate_ids, field="deputies",
        message=_("Choose deputies stationed here or of the station's congress."),
    )  # fmt: skip
    if any(m.status != MandateStatus.ACTIVE for m in mandates):
        raise RuleViolation(fields={"deputies": [_("Only deputies with an active mandate can be on duty.")]})
    return mandates


def plan_reception(
    *, actor, station_id: int, day: date, start: time, end: time, topic: str = "", mandate_ids=()
) -> Reception:
    """Plan a reception day with the deputies on duty; it is public once published."""
    with transaction.atomic(), audit.acting_as(actor):
        station = lock_station(station_id)
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


def _lock_reception(reception_id: int) -> Reception:
    return Reception.objects.select_for_update(of=("self",)).select_related("station__congress").get(pk=reception_id)


def publish_reception(*, actor, reception_id: int) -> Reception:
    """Publish a reception day on the station's page, at least the notice period ahead; the deputies are told."""
    with transaction.atomic(), audit.acting_as(actor):
        reception = _lock_reception(reception_id)
        move = workflow.RECEPTION.allow(actor, reception, "publish", rule_on=reception.station)
        if not _notice_ok(reception.station, reception.date):
            notice = policies.policy(reception.station.congress, "station.reception_notice")
            raise RuleViolation(
                fields={"date": [_("Reception days are announced at least %(days)s days ahead.") % {"days": notice}]}
            )
        reception.published_at = timezone.now()
        move.apply(fields=["published_at"])
    return reception


def cancel_reception(*, actor, reception_id: int, reason: str = "") -> Reception:
    """Call a reception day off; the deputies on duty are told when it was published."""
    with transaction.atomic(), audit.acting_as(actor):
        reception = _lock_reception(reception_id)
        move = workflow.RECEPTION.allow(actor, reception, "cancel", rule_on=reception.station)
        reception.published_at = reception.published_at or timezone.now()
        move.apply(fields=["published_at"], reason=reason)
        if move.before == ReceptionStatus.PUBLISHED:
            notices.enqueue("reception_cancelled", reception.pk)
    return reception


def is_held_possible(reception: Reception) -> bool:
    """A reception day is recorded as held on the day or after, never before it took place."""
    return reception.date <= timezone.localdate()


def record_reception(*, actor, reception_id: int, present_ids, citizens_received: int, summary: str = "") -> Reception:
    """Record a held reception day: each deputy present gets a visit in their duty record."""
    with transaction.atomic(), audit.acting_as(actor):
        reception = _lock_reception(reception_id)
        move = workflow.RECEPTION.allow(actor, reception, "record", rule_on=reception.station)
        if not is_held_possible(reception):
            raise RuleViolation(_("This reception day is still to come: it can be recorded as held on %(date)s "
                                  "or after.") % {"date": reception.date.isoformat()})  # fmt: skip
        on_duty = set(reception.deputies.values_list("pk", flat=True))
        present = set(present_ids)
        if present - on_duty:
            raise RuleViolation(fields={"present": [_("Only deputies on the duty roster can be marked present.")]})
        reception.citizens_received, reception.summary = citizens_received, summary
        visited_at = timezone.make_aware(datetime.combine(reception.date, reception.start_time))
        for mandate in Mandate.objects.filter(pk__in=present).order_by("pk"):
            create_visit(
                mandate=mandate, station=reception.station, activity=Activity.RECEPTION, visited_at=visited_at,
                citizens_received=citizens_received, topics=reception.topic, channel=Visit.Channel.RECEPTION,
                actor=actor, reception=reception, flag_reason="",
            )  # fmt: skip
        move.apply(fields=["citizens_received", "summary"], present=len(present), citizens=citizens_received)
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
            station = Station.objects.select_related("congress__region").get(pk=station_id)
            scope.require(actor, "liaison_stations.check_in", (mandate, station))
            if mandate.person.user_id != actor.pk:
                # Managers and staff record visits only for deputies the station may name: a visit enters the
                # deputy's duty record.
                scope.referenced(station_reach(station), mandate.pk, field="mandate",
                                 message=_("Choose a deputy stationed here or of the station's congress."))  # fmt: skip
            if mandate.status != MandateStatus.ACTIVE:
                raise RuleViolation(_("Only a deputy with an active mandate records visits."))
            if not station.is_active:
                raise RuleViolation(_("This station is closed."))
            flag_reason = ""
            if not is_stationed(mandate.pk, station.pk):
                if not policies.policy(mandate.congress, "station.unstationed_visits"):
                    raise RuleViolation(_("You are not stationed at this station."))
                flag_reason = _("not stationed at this station")
            return create_visit(
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


def remind_visit_quota(today: date | None = None) -> int:
    """In the last month of each quarter, tell deputies behind their pro-rata visit quota (once a quarter).

    One aggregate finds who is behind: each congress's target is compared in SQL, so only those behind come back.
    Their messages are stored in batches, each batch one statement in a transaction of its own, whose unique
    (recipient, key) skips a deputy told already: however often, concurrently or interrupted the sweep runs, each
    deputy is told once a quarter. (The deputies told are not left out of the aggregate by an anti-join on the inbox:
    planned on statistics taken before a first run stored its thousands of rows, that join read the whole inbox once
    per deputy, 63 s for 40,000 mandates in the bench.)"""
    today = today or timezone.localdate()
    if today.month % 3 != 0:
        return 0
    year, quarter = today.year, quota_rules.quarter_of(today)
    key = f"station-quota:{year}-Q{quarter}"
    rows = (
        quota_rules.live_with_login()
        .annotate(visit_count=Count("visits", filter=Q(visits__year=year)))
        .filter(quota_rules.behind_q({"visit_count": quota_rules.targets(quota_rules.VISITS, quarter)}))
        .values_list("person__user_id", "congress_id", "visit_count", "congress__name")
    )
    quotas = policies.Resolver(quota_rules.VISITS.policy)
    shares = policies.Resolver(quota_rules.SHARES[quarter]) if quarter < 4 else None
    behind = []
    for user_id, congress_id, visits, congress_name in rows.iterator(chunk_size=5000):
        quota = int(quotas(congress_id))
        target = quota if shares is None else quota_rules.quarter_target(quota, shares(congress_id))
        behind.append((user_id, congress_name, visits, quota, target))
    return notices.visits_behind(key, behind)


def remind_duty_quotas(today: date | None = None) -> int:
    """In the last month of each quarter, tell deputies behind their other duty quotas (receptions, voter contacts,
    reports to voters: the quarter's share of the yearly quota; group activities: the quarter's own), once a
    quarter; the visit quota has its own reminder. Like it, one aggregate finds who is behind, and the messages are
    stored in batches, once per deputy and quarter."""
    today = today or timezone.localdate()
    if today.month % 3 != 0:
        return 0
    year, quarter = today.year, quota_rules.quarter_of(today)
    key = f"duty-quota:{year}-Q{quarter}"
    others = [quota for quota in quota_rules.QUOTAS if quota.name != "visits"]
    resolvers = {quota.name: policies.Resolver(quota.policy) for quota in others}
    shares = policies.Resolver(quota_rules.SHARES[quarter]) if quarter < 4 else None
    behind_q = quota_rules.behind_q({quota_rules.DONE_FIELDS[q.name]: quota_rules.targets(q, quarter) for q in others})
    rows = (
        quota_rules.with_counts(quota_rules.live_with_login(), year, quarter)
        .annotate(group_total=F("group_visit_count") + F("group_entry_total"))
        .filter(behind_q)
        .values("person__user_id", "congress_id", "congress__name", *quota_rules.COUNTS)
    )
    behind = []
    for row in rows.iterator(chunk_size=5000):
        done = quota_rules.done(row)
        lines = []
        for quota in others:
            wanted = int(resolvers[quota.name](row["congress_id"]))
            if quota.quarterly or shares is None:
                target = wanted
            else:
                target = quota_rules.quarter_target(wanted, shares(row["congress_id"]))
            if done[quota.name] < target:
                lines.append((quota, done[quota.name], wanted, target))
        if lines:
            behind.append((row["person__user_id"], row["congress__name"], lines))
    return notices.duties_behind(key, behind)
