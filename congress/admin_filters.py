"""List filters staff think in, shared by the console's lists: overdue, a region and what lies below it, and
related records limited to those the user can see (not every congress's sessions or stations)."""

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import deadlines, scope
from .models import Region, RegionLevel


class OverdueFilter(admin.SimpleListFilter):
    """Rows with something overdue: by default an open deadline past its due date (congress.deadlines); a list
    whose records know their own lateness (a unit's reply) overrides overdue_q."""

    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def overdue_q(self, model, today) -> Q:
        return deadlines.overdue_q(model, today)

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        late = self.overdue_q(queryset.model, timezone.localdate())
        return queryset.filter(late) if self.value() == "yes" else queryset.exclude(late)


class RegionFilter(admin.SimpleListFilter):
    """A region the user can see and everything below it, by the division-code prefix of `region_path`."""

    title = _("region")
    parameter_name = "region"
    region_path = "region_code"
    levels = (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY)

    def lookups(self, request, model_admin):
        regions = scope.visible(request.user, Region).filter(level__in=self.levels).order_by("code")[:300]
        return [(region.code, f"{'　' * (len(region.code) // 2 - 1)}{region.name}") for region in regions]

    def queryset(self, request, queryset):
        code = self.value()
        if not code or not code.isdigit():
            return queryset
        return queryset.filter(**{f"{self.region_path}__startswith": code})


class ScopedRelatedFilter(admin.RelatedFieldListFilter):
    """A related-field filter offering only the records the user can see."""

    limit = 300

    def field_choices(self, field, request, model_admin):
        model = field.remote_field.model
        return [(obj.pk, str(obj)) for obj in self.choices_queryset(scope.visible(request.user, model))[: self.limit]]

    def choices_queryset(self, queryset):
        return queryset
