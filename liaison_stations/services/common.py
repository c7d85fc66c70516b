"""Helpers shared by the phases of the station network's services."""

from django.db.models import Q
from django.utils import timezone

from congress import scope
from deputies.models import Mandate, MandateStatus
from deputies.services import record_duty

from ..models import Activity, Station, Stationing, Visit


def lock_station(station_id: int) -> Station:
    return Station.objects.select_for_update(of=("self",)).select_related("congress__region").get(pk=station_id)


def station_reach(station: Station):
    """The deputies a station's managers and staff may name (on a reception day, for a visit, to take up an
    opinion): those stationed there now, and the live deputies of its congress's region, of those below it and
    of the congresses above it; never a deputy of a sibling county or township."""
    stationed_here = Q(pk__in=Stationing.objects.filter(station=station, end_date__isnull=True).values("mandate_id"))
    return Mandate.objects.exclude(status=MandateStatus.ENDED).filter(
        stationed_here | scope.lineage_q("region_code", station.congress.region.code)
    )


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
