"""Suggestions console: the category taxonomy and key items are edited here through the services; suggestions
and assignments are shown read-only, since they change only through their workflow on the web pages and API."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from congress import params, scope
from congress.admin import ScopedAdmin
from congress.admin_actions import job_page, remind
from congress.admin_filters import OverdueFilter, ScopedRelatedFilter
from congress.errors import DomainError
from congress.models import Organisation, OrganisationKind, Role, User
from congress.web import report

from . import selectors, services
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
        value = params.as_identifier(value)
        if value is None:
            return queryset
        return (
            queryset.filter(unit_id=value)
            if queryset.model is Assignment
            else queryset.filter(selectors.handled_by_q(value))
        )


class SuggestionOverdueFilter(OverdueFilter):
    """A unit's reply (or co-handling opinion) is overdue, as on the review page."""

    def overdue_q(self, model, today):
        return selectors.late_q(today) if model is Suggestion else selectors.overdue_q(today)


class SessionFilter(ScopedRelatedFilter):
    def choices_queryset(self, queryset):
        return queryset.select_related("term").order_by("-term__number", "-number")


class CategoryFilter(ScopedRelatedFilter):
    def choices_queryset(self, queryset):
        return queryset.select_related("parent").order_by("position", "name")


class AssignForm(forms.Form):
    """The console's Assign action: the units to hand the selected suggestions to."""

    lead = forms.ModelChoiceField(label=_("Lead unit"), queryset=Organisation.objects.none())
    co_units = forms.ModelMultipleChoiceField(
        label=_("Co-handling units"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = self.fields["co_units"].queryset = units


def _page_link(url):
    return format_html('<a href="{}">{}</a>', url, _("open"))


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyAdmin):
    list_display = ["number_label", "title", "status", "kind", "lead", "session", "page"]
    list_select_related = ["lead__person", "lead__congress", "lead__term", "session__term"]
    # Session, category and unit choices: those the user can see, not every congress's.
    list_filter = ["status", "kind", ("session", SessionFilter), ("category", CategoryFilter), UnitFilter,
                   SuggestionOverdueFilter]  # fmt: skip
    search_fields = ["title", "number_label", "lead__person__name"]
    date_hierarchy = "submitted_at"
    # Content and personal data are read on the page, where the workflow and its checks are.
    fields = ["number_label", "kind", "title", "status", "congress", "term", "session", "category", "lead",
              "submitted_at", "accepted_at", "assigned_on", "closed_at", "merged_into", "published_at"]  # fmt: skip
    readonly_fields = fields
    actions = ["assign_selected", "remind_selected"]

    @admin.display(description=_("page"))
    def page(self, obj):
        return _page_link(obj.get_absolute_url())

    @admin.action(description=_("Assign the selected suggestions to units"))
    def assign_selected(self, request, queryset):
        units = scope.visible(request.user, Organisation).filter(kind=OrganisationKind.HANDLING_UNIT, is_active=True)
        form = AssignForm(request.POST if "lead" in request.POST else None, units=units.order_by("name"))
        if form.is_valid():
            try:
                job = services.start_bulk_assign(
                    actor=request.user, suggestion_ids=list(queryset.order_by("pk").values_list("pk", flat=True)),
                    lead_id=form.cleaned_data["lead"].pk, co_ids=[u.pk for u in form.cleaned_data["co_units"]],
                )  # fmt: skip
            except DomainError as exc:
                report(request, exc, form)  # next to its field, as on the review page
            else:
                return job_page(job)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Assign the selected suggestions to units"),
            "form": form,
            "count": queryset.count(),
            "shown": queryset.order_by("pk")[:20],
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/suggestions/assign.html", context)

    @admin.action(description=_("Remind the units and deputies of what is due"))
    def remind_selected(self, request, queryset):
        remind(self, request, queryset, lambda ids: services.remind(actor=request.user, suggestion_ids=ids))


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["suggestion", "unit", "role", "status", "assigned_on", "reply_due", "replied_on", "page"]
    list_select_related = ["suggestion", "unit"]
    list_filter = [UnitFilter, "status", "role", SuggestionOverdueFilter, ("suggestion__session", SessionFilter)]
    search_fields = ["suggestion__title", "suggestion__number_label", "unit__name"]
    date_hierarchy = "assigned_on"
    fields = ["suggestion", "unit", "role", "status", "assigned_on", "received_at", "reply_due", "extension_months",
              "replied_on", "replied_on_time", "co_opinion_at", "ended_at"]  # fmt: skip
    readonly_fields = fields
    actions = ["remind_selected"]

    @admin.display(description=_("page"))
    def page(self, obj):
        return _page_link(reverse("suggestions:detail", args=[obj.suggestion_id]) + f"#assignment-{obj.pk}")

    @admin.action(description=_("Remind the units of what is due"))
    def remind_selected(self, request, queryset):
        remind(self, request, queryset, lambda ids: services.remind_units(actor=request.user, assignment_ids=ids))


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
