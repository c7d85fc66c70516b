"""Reads used by more than one page, the export and the API: scoped, with their joins."""

from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from congress import divisions, scope
from congress.models import Organisation, OrganisationKind, Region
from deputies.models import Mandate, MandateStatus
from suggestions.models import Reply
from suggestions.services import scrub

from . import quotas
from .models import (
    Attendance,
    AttendanceStatus,
    CitizenOpinion,
    OpinionStatus,
    RatingCriterion,
    Reception,
    ReceptionStatus,
    Station,
    Stationing,
    Visit,
)


def filter_stations(queryset, data: dict):
    """`region`: a division code, or the codes a region name was resolved to (several places share a name)."""
    if data.get("region"):
        codes = [data["region"]] if isinstance(data["region"], str) else data["region"]
        within = Q()
        for code in codes:
            within |= Q(region_code__startswith=code)
        queryset = queryset.filter(within)
    if data.get("kind"):
        queryset = queryset.filter(kind=data["kind"])
    if data.get("tier"):
        queryset = queryset.filter(tier=data["tier"])
    if data.get("stars"):
        queryset = queryset.filter(stars__gte=data["stars"])
    if data.get("q"):
        q = data["q"]
        queryset = queryset.filter(Q(name__contains=q) | Q(address__contains=q) | Q(region__name__contains=q))
    return queryset


def public_stations(data: dict | None = None):
    """What citizens see: active stations, anywhere."""
    return filter_stations(Station.objects.filter(is_active=True).select_related("region"), data or {})


def network(user, data: dict | None = None):
    return filter_stations(scope.visible(user, Station).select_related("region", "congress"), data or {})


def station_regions(stations) -> list[Region]:
    """The regions that hold any of the stations, from the city down (a station's own region and those above it),
    by code: the names a visitor may filter the stations by."""
    codes = set()
    for code in stations.order_by().values_list("region_code", flat=True).distinct():
        codes.update(divisions.ancestors(code))
        codes.add(code)
    return list(Region.objects.filter(code__in=codes).exclude(level__in=["country", "province"]).order_by("code"))


def stations_by_region(stations) -> list[dict]:
    """How many of the stations each station region holds: the plain list a map without tiles falls back to."""
    return list(
        stations.order_by().values("region__name", "region_code").annotate(n=Count("pk")).order_by("region_code")
    )


def markers(stations, limit: int = 1000) -> list[dict]:
    """Map markers of the first stations with coordinates (the list below the map holds them all)."""
    rows = stations.filter(latitude__isnull=False).values("name", "latitude", "longitude", "slug", "kind", "stars")
    url = reverse("liaison_stations:public_station", args=["SLUG"])
    return [
        {"name": r["name"], "lat": float(r["latitude"]), "lng": float(r["longitude"]), "kind": r["kind"],
         "stars": r["stars"], "url": url.replace("SLUG", r["slug"])}
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
        .order_by("region_code", "person__name", "pk")
    )


def filter_ledger(queryset, data: dict):
    if data.get("region"):
        queryset = queryset.filter(region_code__startswith=data["region"])
    for field in ("status", "route", "category"):
        if data.get(field):
            queryset = queryset.filter(**{field: data[field]})
    if data.get("open"):
        queryset = queryset.exclude(status=OpinionStatus.CLOSED)
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


def referral_units(user, opinion):
    """Handling units an opinion may be referred to: those the user sees, and those of its region and above."""
    units = Organisation.objects.filter(kind=OrganisationKind.HANDLING_UNIT, is_active=True)
    return (
        units.filter(pk__in=scope.visible(user, Organisation).values("pk"))
        | units.filter(region__code__in=divisions.ancestors(opinion.region_code))
    ).distinct()


def visit_quota_progress(mandates, year: int) -> list[dict]:
    """Each mandate's duty in a year against its congress's quotas: visits against the visit quota (`visits`,
    `quota`) and every quota's item (`items`), see quotas.progress."""
    return quotas.progress(mandates, year, timezone.localdate())


# A deputy's own records (their active mandates)


def my_mandates(user) -> list[Mandate]:
    return list(Mandate.objects.filter(person__user=user, status=MandateStatus.ACTIVE).select_related("congress"))


def stations_of(mandates):
    """The stations the mandates are stationed at now."""
    return Station.objects.filter(stationings__mandate__in=mandates, stationings__end_date__isnull=True).distinct()


def visits_of(mandates, year: int, limit: int = 50):
    return Visit.objects.filter(mandate__in=mandates, year=year).select_related("station")[:limit]


def opinions_for(mandates, limit: int = 50):
    """Opinions left on the mandates' QR pages or given to them to take up as a suggestion."""
    return (
        CitizenOpinion.objects.filter(addressed_to__in=mandates)
        | CitizenOpinion.objects.filter(taken_up_by__in=mandates)
    ).select_related("station")[:limit]


# Managers, units and staff


def managed_stations(user):
    """The stations the user manages (of those they may see)."""
    return scope.visible(user, Station).filter(managers=user).select_related("region")


def own_stations(user, limit: int = 500) -> list[Station]:
    """Stations of the congresses the user is staff of (not those below), which they may station deputies at."""
    return list(scope.visible(user, Station).filter(congress_id__in=scope.congress_ids(user))[:limit])


def stationing_candidates(station: Station, limit: int = 500) -> list[Mandate]:
    """Live deputies not stationed here yet, of the station's congress region, below and above it: those the
    stationing service accepts. Whoever runs the station may pick them, a manager too, who reads no roster."""
    return list(
        Mandate.objects.exclude(status=MandateStatus.ENDED)
        .filter(scope.lineage_q("region_code", station.congress.region.code))
        .exclude(stationings__station=station, stationings__end_date__isnull=True)
        .select_related("person", "congress").order_by("person__name")[:limit]
    )  # fmt: skip


def referrals(user, *, owing: bool = False, overdue: bool = False, today: date | None = None):
    """Opinions referred to the user's handling units, open ones first; `owing` keeps those still waiting for the
    unit's reply, `overdue` those of them past their reply date."""
    queryset = CitizenOpinion.objects.filter(referred_unit_id__in=scope.unit_ids(user))
    if owing or overdue:
        queryset = queryset.filter(status=OpinionStatus.REFERRED)
    if overdue:
        queryset = queryset.filter(referral_due__lt=today or timezone.localdate())
    return queryset.select_related("station").order_by("status", "referral_due", "-id")


def coming_receptions(user, today: date | None = None):
    """Reception days not yet held at the stations the user manages, planned or announced, soonest first."""
    return (
        scope.visible(user, Reception)
        .filter(station__managers=user, status__in=[ReceptionStatus.PLANNED, ReceptionStatus.PUBLISHED],
                date__gte=today or timezone.localdate())
        .select_related("station")
        .order_by("date", "start_time", "id")
    )  # fmt: skip


def manager_deadlines_q(user) -> Q:
    """The deadlines a station manager answers for: triage and feedback to the citizen of the opinions left at
    their stations (a unit's reply clock is the unit's)."""
    from .workflow import FEEDBACK_DEADLINE, TRIAGE_DEADLINE

    return Q(
        content_type=ContentType.objects.get_for_model(CitizenOpinion),
        object_id__in=CitizenOpinion.objects.filter(station__managers=user).values("pk"),
        kind__in=[TRIAGE_DEADLINE, FEEDBACK_DEADLINE],
    )


def opinion_for(user, pk) -> CitizenOpinion | None:
    """One opinion the user may see, with what its page shows."""
    return (
        scope.visible(user, CitizenOpinion)
        .select_related("station", "referred_unit", "taken_up_by__person", "addressed_to__person", "congress")
        .filter(pk=pk)
        .first()
    )


def quota_mandates(user, region: str = ""):
    """Active mandates the user may see (in a region and below, when given), for the visit-quota page."""
    mandates = scope.visible(user, Mandate).filter(status=MandateStatus.ACTIVE)
    if region:
        mandates = mandates.filter(region_code__startswith=region)
    return mandates.order_by("person__name", "pk")


def checklist(congress) -> list[RatingCriterion]:
    """The congress's star-rating criteria in use."""
    return list(RatingCriterion.objects.filter(congress=congress, is_active=True))


@dataclass(frozen=True)
class SuggestionAnswer:
    """One unit's reply to the suggestion an opinion became, as the citizen may read it."""

    unit: str
    result: str  # the result category, in words
    text: str  # the published text, or the reply with personal data removed; empty when withheld
    replied_on: date


@dataclass(frozen=True)
class SuggestionProgress:
    """How far the suggestion an opinion became has come, for the citizen following the opinion."""

    state: str  # the suggestion's state, in words
    number: str  # its number once accepted
    answers: list
    withheld: bool  # the deputy objected to publication and staff have not published it: the texts are not shown


def suggestion_progress(opinion: CitizenOpinion) -> SuggestionProgress | None:
    """The suggestion a citizen's opinion became, as its citizen may follow it: its state and number, and once
    replied each answering unit's latest reply with its result category and public text. Nothing personal: a reply
    not yet published is shown with personal data removed (suggestions.services.scrub), as publication would."""
    suggestion = opinion.suggestions.select_related("merged_into").order_by("-pk").first()
    if suggestion is None:
        return None
    handled = suggestion.merged_into or suggestion  # a merged suggestion is answered through the one handled
    withheld = bool(suggestion.disclosure_objection) and suggestion.published_at is None
    latest = {}
    replies = (
        Reply.objects.filter(assignment__suggestion=handled)
        .select_related("assignment__unit")
        .order_by("assignment_id", "round")
    )
    for reply in replies:
        if reply.assignment.answers:
            latest[reply.assignment_id] = reply
    answers = [
        SuggestionAnswer(
            unit=reply.assignment.unit.name,
            result=reply.get_result_display(),
            text="" if withheld else (reply.public_text or scrub(reply.text)),
            replied_on=reply.replied_on,
        )
        for reply in latest.values()
    ]
    return SuggestionProgress(
        state=suggestion.get_status_display(), number=suggestion.number_label, answers=answers, withheld=withheld
    )


# Attendance at reception days


def attendance_candidates(reception: Reception):
    """The deputies a manager may record present: live deputies stationed at the reception's station now, not
    yet recorded at this reception (by the day's record or an earlier attendance)."""
    stationed = Stationing.objects.filter(station_id=reception.station_id, end_date__isnull=True).values("mandate_id")
    return (
        Mandate.objects.filter(pk__in=stationed, status=MandateStatus.ACTIVE)
        .exclude(pk__in=Visit.objects.filter(reception=reception).values("mandate_id"))
        .exclude(pk__in=Attendance.objects.filter(reception=reception).values("mandate_id"))
        .select_related("person", "congress")
        .order_by("person__name", "pk")
    )


def pending_attendances(mandates):
    """A deputy's attendances awaiting their answer, newest reception first."""
    return (
        Attendance.objects.filter(mandate__in=mandates, status=AttendanceStatus.PENDING)
        .select_related("reception__station", "mandate__congress")
        .order_by("-reception__date", "-pk")
    )
