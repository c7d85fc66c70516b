"""Reads used by more than one page, the export and the API: scoped, with their joins."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from congress import scope
from deputies.models import Mandate, MandateStatus

from .models import CitizenOpinion, Reception, ReceptionStatus, Station, Stationing


def filter_stations(queryset, data: dict):
    if data.get("region"):
        queryset = queryset.filter(region_code__startswith=data["region"])
    if data.get("kind"):
        queryset = queryset.filter(kind=data["kind"])
    if data.get("tier"):
        queryset = queryset.filter(tier=data["tier"])
    if data.get("stars"):
        queryset = queryset.filter(stars__gte=data["stars"])
    if data.get("q"):
        queryset = queryset.filter(Q(name__contains=data["q"]) | Q(address__contains=data["q"]))
    return queryset


def public_stations(data: dict):
    """What citizens see: active stations, anywhere."""
    return filter_stations(Station.objects.filter(is_active=True).select_related("region"), data)


def network(user, data: dict):
    return filter_stations(scope.visible(user, Station).select_related("region", "congress"), data)


def markers(stations, limit: int = 1000) -> list[dict]:
    """Map markers of the first stations with coordinates (the list below the map holds them all)."""
    rows = stations.filter(latitude__isnull=False).values("name", "latitude", "longitude", "slug", "kind", "stars")
    return [
        {"name": r["name"], "lat": float(r["latitude"]), "lng": float(r["longitude"]), "kind": r["kind"],
         "stars": r["stars"], "url": f"/stations/s/{r['slug']}/"}
        for r in rows[:limit]
    ]  # fmt: skip


def upcoming_receptions(station: Station):
    return (
        station.receptions.filter(status=ReceptionStatus.PUBLISHED, date__gte=timezone.localdate())
        .prefetch_related("deputies__person")
        .order_by("date", "start_time")
    )


def stationed(station: Station):
    return (
        Mandate.objects.filter(stationings__station=station, stationings__end_date__isnull=True)
        .exclude(status=MandateStatus.ENDED)
        .select_related("person", "congress")
        .order_by("level", "person__name")
    )


def unstationed(user):
    """Live deputies the user may see who are stationed nowhere."""
    live = Stationing.objects.filter(mandate=OuterRef("pk"), end_date__isnull=True)
    return (
        scope.visible(user, Mandate)
        .exclude(status=MandateStatus.ENDED)
        .filter(~Exists(live))
        .select_related("person", "congress")
        .order_by("congress__region__code", "person__name", "pk")
    )


def filter_ledger(queryset, data: dict):
    if data.get("region"):
        queryset = queryset.filter(region_code__startswith=data["region"])
    for field in ("status", "route", "category"):
        if data.get(field):
            queryset = queryset.filter(**{field: data[field]})
    if data.get("received_from"):
        queryset = queryset.filter(received_at__date__gte=data["received_from"])
    if data.get("received_to"):
        queryset = queryset.filter(received_at__date__lte=data["received_to"])
    if data.get("code"):
        queryset = queryset.filter(tracking_code=data["code"].strip().upper())
    return queryset


def ledger(user, data: dict):
    """台账: every opinion the user may see, newest first, with its station and unit."""
    return filter_ledger(scope.visible(user, CitizenOpinion).select_related("station", "referred_unit"), data).order_by(
        "-received_at", "-id"
    )


def reception_for(user, pk):
    return scope.visible(user, Reception).select_related("station").filter(pk=pk).first()
