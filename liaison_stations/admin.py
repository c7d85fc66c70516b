"""Station network console: thin admin classes over congress.scope and liaison_stations.services."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congress.admin import ScopedAdmin
from congress.admin_actions import remind
from congress.admin_filters import OverdueFilter, RegionFilter, ScopedRelatedFilter
from congress.errors import DomainError

from . import services
from .models import CitizenOpinion, RatingCriterion, Reception, StarRating, Station, StationHonour, Stationing, Visit


class StationFilter(ScopedRelatedFilter):
    def choices_queryset(self, queryset):
        return queryset.order_by("region_code", "name")


class StationRegionFilter(RegionFilter):
    region_path = "station__region_code"


class ReadOnlyAdmin(ScopedAdmin):
    """Records that change only through their workflow (web pages and API): the console shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Station)
class StationAdmin(ScopedAdmin):
    list_display = ["name", "kind", "tier", "region", "theme", "stars", "is_active", "public_page"]
    list_filter = ["kind", "tier", RegionFilter, "theme", "stars", "is_active"]
    search_fields = ["name", "address", "region__name", "region_code"]
    list_select_related = ["region"]
    autocomplete_fields = ["region", "parent", "managers"]
    readonly_fields = ["stars", "slug"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "tier", "congress", "region", "parent", "theme", "theme_detail"]}),
        (
            _("How to reach it"),
            {"fields": ["address", "latitude", "longitude", "opening_hours", "phone", "online_url"]},
        ),
        (_("People"), {"fields": ["chief", "managers"]}),
        (None, {"fields": ["is_active", "stars", "slug"]}),
    ]

    @admin.display(description=_("public page"))
    def public_page(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.slug)

    def save_model(self, request, obj, form, change):
        pass  # saved with its managers in save_related, in one service call that checks them

    def save_related(self, request, form, formsets, change):
        try:
            services.save_station(actor=request.user, station=form.instance, managers=form.cleaned_data["managers"])
        except DomainError as exc:
            detail = "; ".join(str(m) for errors in exc.fields.values() for m in errors) or str(exc.message)
            raise PermissionDenied(detail) from exc
        for formset in formsets:
            self.save_formset(request, form, formset, change)


@admin.register(RatingCriterion)
class RatingCriterionAdmin(ScopedAdmin):
    list_display = ["name", "congress", "weight", "position", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["congress"]
    search_fields = ["name"]
    ordering = ["congress", "position"]


@admin.register(Stationing)
class StationingAdmin(ReadOnlyAdmin):
    list_display = ["mandate", "station", "start_date", "end_date"]
    list_select_related = ["mandate__person", "mandate__congress", "mandate__term", "station"]
    search_fields = ["mandate__person__name", "station__name"]
    list_filter = [("station", StationFilter), StationRegionFilter, "end_date"]


@admin.register(Reception)
class ReceptionAdmin(ReadOnlyAdmin):
    list_display = ["station", "date", "start_time", "end_time", "topic", "status", "citizens_received"]
    list_select_related = ["station"]
    list_filter = ["status", ("station", StationFilter), StationRegionFilter, "date"]
    search_fields = ["station__name", "topic"]
    date_hierarchy = "date"


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["mandate", "station", "activity", "visited_at", "citizens_received", "channel", "flagged"]
    list_select_related = ["mandate__person", "mandate__congress", "mandate__term", "station"]
    list_filter = ["activity", "channel", "flagged", "year", ("station", StationFilter), StationRegionFilter]
    search_fields = ["mandate__person__name", "station__name"]


@admin.register(CitizenOpinion)
class CitizenOpinionAdmin(ReadOnlyAdmin):
    list_display = ["tracking_code", "subject", "station", "category", "status", "route", "referred_unit",
                    "received_at", "handle"]  # fmt: skip
    list_select_related = ["station", "referred_unit"]
    list_filter = ["status", "route", OverdueFilter, ("station", StationFilter), RegionFilter, "category", "channel"]
    search_fields = ["tracking_code", "station__name", "referred_unit__name"]
    date_hierarchy = "received_at"
    exclude = ["phone"]
    actions = ["remind_selected"]

    @admin.action(description=_("Remind the stations and units of what is due"))
    def remind_selected(self, request, queryset):
        remind(self, request, queryset, lambda ids: services.remind_handlers(actor=request.user, opinion_ids=ids))

    @admin.display(description=pgettext_lazy("opinion", "subject"))
    def subject(self, obj):
        return obj.subject

    @admin.display(description=_("handle"))
    def handle(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("liaison_stations:opinion", args=[obj.pk]), _("open"))


@admin.register(StarRating)
class StarRatingAdmin(ReadOnlyAdmin):
    list_display = ["station", "year", "score", "stars", "evaluated_by"]
    list_select_related = ["station", "evaluated_by"]
    list_filter = ["year", "stars"]
    search_fields = ["station__name"]


@admin.register(StationHonour)
class StationHonourAdmin(ReadOnlyAdmin):
    list_display = ["station", "year", "title", "awarded_on"]
    list_select_related = ["station"]
    list_filter = ["year"]
    search_fields = ["station__name", "title"]
