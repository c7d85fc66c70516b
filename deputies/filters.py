"""The resource directory's filters (履职资源分类名册), shared by the console page, the export and the API."""

from datetime import date

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from congress import scope
from congress.api.filters import IsoDateTimeFilter, LimitedFilterSet
from congress.models import Congress, Level, Term

from .models import (
    Delegation,
    DeputyGroup,
    Education,
    EthnicGroup,
    Gender,
    GroupMembership,
    Mandate,
    MandateStatus,
    Occupation,
    Party,
    Tag,
)


def _visible(model, *related):
    """Choices limited to what the requesting user may see (everything when there is no request); related are
    the rows a choice's label reads, joined so that a long list costs one query."""

    def queryset(request):
        rows = model.objects.all() if request is None else scope.visible(request.user, model)
        return rows.select_related(*related) if related else rows

    return queryset


AGE_BANDS = [
    ("under35", _("under 35")),
    ("35to44", _("35 to 44")),
    ("45to54", _("45 to 54")),
    ("55to64", _("55 to 64")),
    ("65plus", _("65 and over")),
]
_BAND_YEARS = {"under35": (0, 34), "35to44": (35, 44), "45to54": (45, 54), "55to64": (55, 64), "65plus": (65, 200)}


def _years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


@extend_schema_field(OpenApiTypes.INT)
class TagFilter(django_filters.ModelMultipleChoiceFilter):
    """Tag ids; repeat the parameter to require any of several tags."""


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.ModelChoiceFilter):
    """A related record by id (typed for the schema: the deputies list filters through mandates)."""


@extend_schema_field(OpenApiTypes.STR)
class CodeFilter(django_filters.ModelChoiceFilter):
    """A code-list entry by its standard code."""


class DirectoryFilter(LimitedFilterSet):
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("level"))
    congress = IdFilter(queryset=_visible(Congress), label=_("congress"))
    term = IdFilter(queryset=_visible(Term, "congress"), label=_("term"))
    region = django_filters.CharFilter(
        field_name="region_code", lookup_expr="startswith", label=_("region code (subtree)")
    )
    delegation = IdFilter(queryset=_visible(Delegation), label=_("delegation"))
    group = IdFilter(queryset=_visible(DeputyGroup), method="filter_group", label=_("deputy group"))
    status = django_filters.ChoiceFilter(choices=MandateStatus.choices, label=_("status"))
    occupation = django_filters.ChoiceFilter(
        field_name="person__occupation", choices=Occupation.choices, label=_("occupation category")
    )
    education = django_filters.ChoiceFilter(
        field_name="person__education", choices=Education.choices, label=_("education")
    )
    party = CodeFilter(field_name="person__party", queryset=Party.objects.all(), label=_("political affiliation"))
    ethnic_group = CodeFilter(
        field_name="person__ethnic_group", queryset=EthnicGroup.objects.all(), label=_("ethnic group")
    )
    gender = django_filters.ChoiceFilter(field_name="person__gender", choices=Gender.choices, label=_("gender"))
    grassroots = django_filters.BooleanFilter(field_name="person__grassroots", label=_("grassroots deputy"))
    returned_overseas = django_filters.BooleanFilter(
        field_name="person__returned_overseas", label=_("returned overseas Chinese")
    )
    minority = django_filters.BooleanFilter(method="filter_minority", label=_("ethnic minority"))
    tag = TagFilter(
        field_name="person__tags", queryset=Tag.objects.all(), label=_("expertise or industry"), distinct=False
    )
    age_band = django_filters.ChoiceFilter(choices=AGE_BANDS, method="filter_age_band", label=_("age band"))
    q = django_filters.CharFilter(method="filter_text", label=_("name or work unit"))
    updated_since = IsoDateTimeFilter(method="filter_updated_since", label=_("updated since"))

    class Meta:
        model = Mandate
        fields = []

    def filter_group(self, queryset, name, value):
        # A deputy may sit in several groups: a subquery, so a mandate is listed once whatever else is filtered.
        return queryset.filter(Exists(GroupMembership.objects.filter(mandate_id=OuterRef("pk"), group=value)))

    def filter_minority(self, queryset, name, value):
        return (
            queryset.exclude(person__ethnic_group_id="01") if value else queryset.filter(person__ethnic_group_id="01")
        )

    def filter_age_band(self, queryset, name, value):
        youngest, oldest = _BAND_YEARS[value]
        today = timezone.localdate()
        latest_birth = _years_ago(today, youngest)
        earliest_birth = _years_ago(today, oldest + 1)
        return queryset.filter(person__birth_date__lte=latest_birth, person__birth_date__gt=earliest_birth)

    def filter_text(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(person__name__icontains=value) | Q(person__work_unit__icontains=value))
            if value
            else queryset
        )

    def filter_updated_since(self, queryset, name, value):
        return queryset.filter(Q(updated_at__gte=value) | Q(person__updated_at__gte=value))
