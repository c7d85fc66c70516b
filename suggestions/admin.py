"""Suggestions console: the category taxonomy and key items are edited here through the services; suggestions
and assignments are shown read-only, since they change only through their workflow on the web pages and API."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from congress import scope
from congress.admin import ScopedAdmin
from congress.errors import DomainError
from congress.models import Organisation, OrganisationKind, Role, User

from . import services
from .models import Assignment, Category, KeySupervision, Suggestion


class ReadOnlyAdmin(ScopedAdmin):
    """Records that change only through their workflow: the console lists them (scoped) and links to the page."""

    # Nothing is saved here; the scoped form still asks which rule a change would need.
    write_action = "suggestions.review"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Category)
class CategoryAdmin(ScopedAdmin):
    list_display = ["name", "parent", "congress", "position", "is_active"]
    list_select_related = ["parent", "congress"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    ordering = ["congress", "position", "name"]
    fields = ["congress", "name", "parent", "position", "is_active"]

    def save_model(self, request, obj, form, change):
        try:
            services.save_category(actor=request.user, category=obj)
        except DomainError as exc:
            raise PermissionDenied(str(exc.message)) from exc


class UnitFilter(admin.SimpleListFilter):
    """Only the handling units the user can see, not every unit of the country."""

    title = _("handling unit")
    parameter_name = "unit"

    def lookups(self, request, model_admin):
        units = scope.visible(request.user, Organisation).filter(kind=OrganisationKind.HANDLING_UNIT)
        return [(u.pk, u.name) for u in units.order_by("name")[:300]]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(unit_id=value) if value and value.isdigit() else queryset


class _ScopedRelatedFilter(admin.RelatedFieldListFilter):
    def field_choices(self, field, request, model_admin):
        model = field.remote_field.model
        return [(obj.pk, str(obj)) for obj in self.choices_queryset(scope.visible(request.user, model))]

    def choices_queryset(self, queryset):
        return queryset


class SessionFilter(_ScopedRelatedFilter):
    def choices_queryset(self, queryset):
        return queryset.select_related("term").order_by("-term__number", "-number")[:100]


class CategoryFilter(_ScopedRelatedFilter):
    def choices_queryset(self, queryset):
        return queryset.select_related("parent").order_by("position", "name")[:300]


def _page_link(url):
    return format_html('<a href="{}">{}</a>', url, _("open"))


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyAdmin):
    list_display = ["number_label", "title", "status", "kind", "lead", "session", "page"]
    list_select_related = ["lead__person", "lead__congress", "lead__term", "session__term"]
    # Session and category choices: those the user can see, not every congress's.
    list_filter = ["status", "kind", ("session", SessionFilter), ("category", CategoryFilter)]
    search_fields = ["title", "number_label"]
    date_hierarchy = "submitted_at"
    # Content and personal data are read on the page, where the workflow and its checks are.
    fields = ["number_label", "kind", "title", "status", "congress", "term", "session", "category", "lead",
              "submitted_at", "accepted_at", "assigned_on", "closed_at", "merged_into", "published_at"]  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("page"))
    def page(self, obj):
        return _page_link(obj.get_absolute_url())


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["suggestion", "unit", "role", "status", "assigned_on", "reply_due", "replied_on", "page"]
    list_select_related = ["suggestion", "unit"]
    list_filter = [UnitFilter, "status", "role"]
    search_fields = ["suggestion__title", "suggestion__number_label", "unit__name"]
    date_hierarchy = "assigned_on"
    fields = ["suggestion", "unit", "role", "status", "assigned_on", "received_at", "reply_due", "extension_months",
              "replied_on", "replied_on_time", "co_opinion_at", "ended_at"]  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("page"))
    def page(self, obj):
        return _page_link(reverse("suggestions:detail", args=[obj.suggestion_id]) + f"#assignment-{obj.pk}")


@admin.register(KeySupervision)
class KeySupervisionAdmin(ScopedAdmin):
    list_display = ["title", "year", "congress", "leader", "committee", "closed_at", "page"]
    list_select_related = ["congress", "leader", "committee"]
    list_filter = ["year"]
    search_fields = ["title"]
    autocomplete_fields = ["suggestions"]
    fields = ["congress", "year", "title", "leader", "committee", "plan", "suggestions"]

    @property
    def write_action(self):
        return "suggestions.mark_key"

    @admin.display(description=_("page"))
    def page(self, obj):
        return _page_link(obj.get_absolute_url())

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "leader":
            congresses = scope.congress_ids(request.user, (Role.STAFF, Role.SUPERVISOR))
            kwargs["queryset"] = User.objects.filter(
                is_active=True, memberships__role__in=[Role.SUPERVISOR, Role.STAFF],
                memberships__congress_id__in=congresses,
            ).distinct()  # fmt: skip
        elif db_field.name == "committee":
            kwargs["queryset"] = scope.visible(request.user, Organisation).exclude(kind=OrganisationKind.HANDLING_UNIT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        pass  # saved with its suggestions in save_related, in one service call

    def save_related(self, request, form, formsets, change):
        ids = [s.pk for s in form.cleaned_data.get("suggestions", [])]
        try:
            services.save_key_item(actor=request.user, item=form.instance, suggestion_ids=ids)
        except DomainError as exc:
            raise PermissionDenied(str(exc.message)) from exc
