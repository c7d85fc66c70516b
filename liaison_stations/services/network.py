"""The network: stations, their managers and the deputies stationed (进驻) at them."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import audit, divisions, scope
from congress.errors import RuleViolation
from congress.models import Congress, Role, RoleMembership
from deputies.models import Mandate, MandateStatus

from ..models import Station, Stationing
from .common import lock_station


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
        if station.parent_id:
            # A station sits under a station of its own congress, never under another county's.
            scope.referenced(Station.objects.filter(congress_id=station.congress_id), station.parent_id,
                             field="parent", message=_("Choose a station of the same congress."))  # fmt: skip
        if managers is not None:
            # Only people of the station's region tree (or a fresh account) may be made its managers: naming
            # another county's staff would hand them this congress's station-manager role.
            managers = scope.referenced(
                scope.people_of(station.congress.region.code), [getattr(user, "pk", user) for user in managers],
                field="managers", message=_("Choose people of this congress's region, or a new account."),
            )  # fmt: skip
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


def station_deputies(*, actor, station_id: int, mandate_ids, on: date | None = None) -> int:
    """Station deputies (进驻) at a station; deputies already stationed there are left as they are."""
    on = on or timezone.localdate()
    with transaction.atomic(), audit.acting_as(actor):
        station = lock_station(station_id)
        scope.require(actor, "liaison_stations.run_station", station)
        # Deputies of the station's congress's region, below and above it, never a sibling county's or township's.
        reach = Mandate.objects.exclude(status=MandateStatus.ENDED).filter(
            scope.lineage_q("region_code", station.congress.region.code)
        )
        mandates = Mandate.objects.filter(
            pk__in=[m.pk for m in scope.referenced(reach, list(mandate_ids), field="mandates")]
        )
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
