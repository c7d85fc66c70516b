import django_filters
from django import forms
from django_filters.rest_framework import DjangoFilterBackend

from ..models import Congress, Organisation, PolicyValue, Region, Session, Term, Tombstone, WebhookDelivery


class IsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """ISO 8601 with a real-world UTC offset (±14:00): the database refuses wilder ones with an error."""

    def clean(self, value):
        from datetime import timedelta

        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        value = super().clean(value)
        offset = value.utcoffset() if value is not None else None
        if offset is not None and abs(offset) > timedelta(hours=14):
            raise ValidationError(_("Give a time zone offset between -14:00 and +14:00."), code="invalid")
        return value


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = IsoDateTimeField


TEXT_FILTER_MAX_LENGTH = 200


class LimitedFilterSet(django_filters.FilterSet):
    """Text filters (codes, keys, search words) take at most TEXT_FILTER_MAX_LENGTH characters."""

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        for filter_ in filters.values():
            if issubclass(filter_.field_class, forms.CharField):
                filter_.extra.setdefault("max_length", TEXT_FILTER_MAX_LENGTH)
        return filters


class SyncFilterSet(LimitedFilterSet):
    updated_since = IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")


class RegionFilter(SyncFilterSet):
    under = django_filters.CharFilter(field_name="code", lookup_expr="startswith", label="Code prefix (subtree)")

    class Meta:
        model = Region
        fields = ["level", "parent", "code"]


class CongressFilter(SyncFilterSet):
    class Meta:
        model = Congress
        fields = ["level", "region"]


class TermFilter(SyncFilterSet):
    class Meta:
        model = Term
        fields = ["congress", "number"]


class SessionFilter(SyncFilterSet):
    congress = django_filters.NumberFilter(field_name="term__congress")

    class Meta:
        model = Session
        fields = ["term", "number"]


class OrganisationFilter(SyncFilterSet):
    class Meta:
        model = Organisation
        fields = ["kind", "unit_category", "region", "congress", "is_active"]


class PolicyValueFilter(SyncFilterSet):
    class Meta:
        model = PolicyValue
        fields = ["congress", "key"]


class ChangeFilter(LimitedFilterSet):
    since = IsoDateTimeFilter(field_name="at", lookup_expr="gte", label="At or after this time")
    after = django_filters.NumberFilter(field_name="id", lookup_expr="gt", label="Changes after this change id")

    class Meta:
        model = Tombstone
        fields = ["resource", "action"]


class WebhookDeliveryFilter(LimitedFilterSet):
    class Meta:
        model = WebhookDelivery
        fields = ["endpoint", "event", "status"]


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, which builds and validates the view's filter form on every request: a list read
    without any of its filters' parameters (a sync client paging through everything) skips that and gets the
    same rows. Every filter here acts only on a value given, so no parameter means no filtering."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            names = tuple(filterset_class.base_filters)
            # startswith: range filters take suffixed parameters (created_after, created_before).
            if not any(key.startswith(names) for key in request.query_params):
                return queryset
        return super().filter_queryset(request, queryset, view)
