"""Scope registrations and action rules of the station network."""

from congress import scope
from congress.models import Role

from .models import (
    Attendance,
    CitizenOpinion,
    DeputyQrCode,
    RatingCriterion,
    Reception,
    StarRating,
    Station,
    StationHonour,
    Stationing,
    Visit,
)

scope.register(Station, scope.ScopeSpec(region="region_code", public=True, manager="managers"))
scope.register(
    Stationing,
    scope.ScopeSpec(region="station__region_code", deputy_user="mandate__person__user_id", manager="station__managers"),
)
scope.register(
    Reception,
    scope.ScopeSpec(
        region="station__region_code", deputy_user="deputies__person__user_id", manager="station__managers"
    ),
)
scope.register(
    Visit,
    scope.ScopeSpec(region="station__region_code", deputy_user="mandate__person__user_id", manager="station__managers"),
)
scope.register(
    Attendance,
    scope.ScopeSpec(
        region="reception__station__region_code",
        deputy_user="mandate__person__user_id",
        manager="reception__station__managers",
    ),
)
scope.register(
    CitizenOpinion,
    scope.ScopeSpec(
        region="region_code",
        unit="referred_unit_id",
        deputy_user="addressed_to__person__user_id",
        manager="station__managers",
    ),
)
scope.register(DeputyQrCode, scope.ScopeSpec(region="mandate__region_code", deputy_user="mandate__person__user_id"))
scope.register(RatingCriterion, scope.ScopeSpec(region="congress__region__code", public=True))
scope.register(StarRating, scope.ScopeSpec(region="station__region_code", public=True, manager="station__managers"))
scope.register(StationHonour, scope.ScopeSpec(region="station__region_code", public=True, manager="station__managers"))


def _own(user) -> set[int]:
    return scope.congress_ids(user, (Role.STAFF,))


def managed_station_ids(user) -> set[int]:
    """The stations a user manages, loaded once per request object (lists check every row)."""
    cached = getattr(user, "_managed_station_ids", None)
    if cached is None:
        cached = set(Station.managers.through.objects.filter(user_id=user.pk).values_list("station_id", flat=True))
        user._managed_station_ids = cached
    return cached


def _manages(user, station_id) -> bool:
    return bool(station_id) and station_id in managed_station_ids(user)


@scope.rule("liaison_stations.change_network")
def change_network(user, obj) -> bool:
    """Staff keep the stations of their own congress (and its checklist)."""
    return getattr(obj, "congress_id", None) in _own(user)


@scope.rule("liaison_stations.run_station")
def run_station(user, obj: Station) -> bool:
    """Receptions, stationing and records at a station: its managers and its congress's staff."""
    return obj.congress_id in _own(user) or _manages(user, obj.pk)


@scope.rule("liaison_stations.triage")
def triage(user, obj: CitizenOpinion) -> bool:
    """The station's managers route an opinion and give the feedback; staff of its congress may too."""
    return obj.congress_id in _own(user) or _manages(user, obj.station_id)


@scope.rule("liaison_stations.unit_reply")
def unit_reply(user, obj: CitizenOpinion) -> bool:
    return obj.referred_unit_id is not None and obj.referred_unit_id in scope.unit_ids(user)


@scope.rule("liaison_stations.check_in")
def check_in(user, obj) -> bool:
    """A deputy checks in for their own mandate; managers and staff record visits for deputies."""
    mandate, station = obj
    if mandate.person.user_id == user.pk:
        return True
    return run_station(user, station)


@scope.rule("liaison_stations.answer_attendance")
def answer_attendance(user, obj: Attendance) -> bool:
    """Only the deputy recorded present confirms it, or says they were not there: it enters their duty record."""
    return obj.mandate.person.user_id == user.pk


@scope.rule("liaison_stations.evaluate")
def evaluate(user, obj: Station) -> bool:
    """Star ratings are given by staff of the station's congress or of a congress above it."""
    return any(obj.region_code.startswith(prefix) for prefix in scope.region_prefixes(user, {Role.STAFF}))


@scope.rule("liaison_stations.view_citizen_phone")
def view_citizen_phone(user, obj) -> bool:
    """A citizen's phone: the station's managers (they give the feedback), integration clients with the
    personal-data scope, and staff granted the permission."""
    client = scope.api_client(user)
    if client is not None:
        return "personal-data:read" in client.scopes
    if isinstance(obj, CitizenOpinion) and _manages(user, obj.station_id):
        return True
    return user.has_perm("liaison_stations.view_citizen_phone") and scope.has_role(user, Role.STAFF)


def _register_writes():
    from congress.rules import WRITE_ACTIONS

    WRITE_ACTIONS.update(
        {Station: "liaison_stations.change_network", RatingCriterion: "liaison_stations.change_network"}
    )


_register_writes()
