import django_filters

from ..models import Congress, Organisation, PolicyValue, Region, Session, Term


class SyncFilterSet(django_filters.FilterSet):
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")


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
