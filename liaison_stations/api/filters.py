import django_filters

from congress.api.filters import IsoDateTimeFilter, SyncFilterSet

from ..models import CitizenOpinion, Reception, StarRating, Station, Stationing, Visit


class StationFilter(SyncFilterSet):
    under = django_filters.CharFilter(field_name="region_code", lookup_expr="startswith", label="Division code prefix")
    min_stars = django_filters.NumberFilter(field_name="stars", lookup_expr="gte")

    class Meta:
        model = Station
        fields = ["kind", "tier", "theme", "congress", "region", "stars", "is_active"]


class StationingFilter(SyncFilterSet):
    live = django_filters.BooleanFilter(field_name="end_date", lookup_expr="isnull", label="Not ended")

    class Meta:
        model = Stationing
        fields = ["station", "mandate"]


class ReceptionFilter(SyncFilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Reception
        fields = ["station", "status"]


class VisitFilter(SyncFilterSet):
    class Meta:
        model = Visit
        fields = ["station", "mandate", "year", "activity", "flagged"]


class OpinionFilter(SyncFilterSet):
    under = django_filters.CharFilter(field_name="region_code", lookup_expr="startswith", label="Division code prefix")
    received_from = IsoDateTimeFilter(field_name="received_at", lookup_expr="gte")

    class Meta:
        model = CitizenOpinion
        fields = ["station", "status", "route", "category", "referred_unit", "tracking_code"]


class StarRatingFilter(SyncFilterSet):
    class Meta:
        model = StarRating
        fields = ["station", "year", "stars"]
