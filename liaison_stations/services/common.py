"""Helpers shared by the phases of the station network's services."""

from django.utils import timezone

from deputies.services import record_duty

from ..models import Activity, Station, Visit


def lock_station(station_id: int) -> Station:
    return Station.objects.select_for_update(of=("self",)).select_related("congress__region").get(pk=station_id)


def create_visit(
    *, mandate, station, activity, visited_at, citizens_received, topics, channel, actor, flag_reason,
    reception=None, submission_key="",
) -> Visit:  # fmt: skip
    """A visit (at a reception day or checked in by itself) and its entry in the deputy's duty record."""
    visit = Visit.objects.create(
        mandate=mandate, station=station, reception=reception, activity=activity, visited_at=visited_at,
        citizens_received=citizens_received, topics=topics[:500], channel=channel, flagged=bool(flag_reason),
        flag_reason=flag_reason, submission_key=submission_key, recorded_by=actor,
    )  # fmt: skip
    record_duty(
        mandate=mandate,
        kind_code="station_visit",
        on=timezone.localtime(visited_at).date(),
        title=f"{station.name}：{Activity(activity).label}",
        source=f"visit:{visit.pk}",
    )
    return visit
