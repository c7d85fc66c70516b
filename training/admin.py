"""Training console: plans with their goals, courses with their sittings and materials, saved through the
services; enrolments and attendance are listed read-only (they change on the course page and the API)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from congress import scope, uploads
from congress.admin import ScopedAdmin
from congress.admin_actions import remind
from congress.admin_filters import OverdueFilter, ScopedRelatedFilter
from congress.errors import DomainError
from congress.models import OrganisationKind

from . import services
from .forms import CourseAdminForm
from .models import Attendance, Course, Enrolment, Goal, Material, Plan, Sitting


class PlanFilter(ScopedRelatedFilter):
    def choices_queryset(self, queryset):
        return queryset.order_by("-year", "title")


class CourseFilter(ScopedRelatedFilter):
    def choices_queryset(self, queryset):
        return queryset.order_by("-starts_on", "title")


def _page_link(url):
    return format_html('<a href="{}">{}</a>', url, _("open"))


def _save(call, request, **kwargs):
    """Run a service for the console; a rule it breaks refuses the save with its message, as the other consoles do."""
    try:
        return call(actor=request.user, **kwargs)
    except DomainError as exc:
        detail = "; ".join(str(m) for errors in exc.fields.values() for m in errors) or str(exc.message)
        raise PermissionDenied(detail) from exc


class _ScopedInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        # On the add page the parent does not exist yet: the service checks the rule when it is saved.
        if obj is None:
            return scope.has_role(request.user, "staff")
        return scope.can(request.user, "training.manage", obj)

    has_change_permission = has_add_permission

    def has_delete_permission(self, request, obj=None):
        return False  # nothing is hard-deleted from the console


class GoalInline(_ScopedInline):
    model = Goal
    fields = ["position", "kind", "title", "target_percent", "min_courses", "within_months", "level",
              "grassroots_only", "course_kind"]  # fmt: skip


@admin.register(Plan)
class PlanAdmin(ScopedAdmin):
    list_display = ["title", "kind", "congress", "year", "start_date", "end_date", "coverage"]
    list_select_related = ["congress"]
    list_filter = ["kind", "year"]
    search_fields = ["title"]
    fields = ["congress", "term", "kind", "parent", "year", "title", "start_date", "end_date", "description"]
    inlines = [GoalInline]

    @admin.display(description=_("coverage"))
    def coverage(self, obj):
        return _page_link(obj.get_absolute_url())

    def save_model(self, request, obj, form, change):
        _save(services.save_plan, request, plan=obj)

    def save_formset(self, request, form, formset, change):
        for goal in formset.save(commit=False):
            _save(services.save_goal, request, goal=goal)


class SittingInline(_ScopedInline):
    model = Sitting
    fields = ["number", "starts_at", "ends_at", "topic", "place", "checkin_code"]
    readonly_fields = ["checkin_code"]


class MaterialInline(_ScopedInline):
    model = Material
    fields = ["title", "file", "url"]
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        models.FileField: {
            "widget": uploads.ScopedFileInput("training:material"),
            "validators": [uploads.KindValidator("document")],
        },
    }


@admin.register(Course)
class CourseAdmin(ScopedAdmin):
    form = CourseAdminForm
    list_display = ["title", "kind", "mode", "congress", "starts_on", "status", "taken", "capacity", "page"]
    list_select_related = ["congress"]
    list_filter = [("plan", PlanFilter), "status", "kind", "mode"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_on"
    filter_horizontal = ["audience_groups"]
    inlines = [SittingInline, MaterialInline]

    @admin.display(description=_("page"))
    def page(self, obj):
        return _page_link(obj.get_absolute_url())

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organiser":
            kwargs["queryset"] = scope.visible(request.user, db_field.remote_field.model).exclude(
                kind=OrganisationKind.HANDLING_UNIT
            )
            return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "audience_groups":
            # Groups are public records: offer only those of the congresses the user keeps (the service checks
            # the course's own congress).
            groups = db_field.remote_field.model.objects.select_related("term")
            if not request.user.is_superuser:
                groups = groups.filter(congress_id__in=scope.congress_ids(request.user))
            kwargs["queryset"] = groups
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        pass  # saved with its audience groups in save_related, in one service call

    def save_related(self, request, form, formsets, change):
        _save(services.save_course, request, course=form.instance, groups=form.cleaned_data.get("audience_groups"))
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is Sitting:
            for sitting in formset.save(commit=False):
                sitting.course = form.instance
                _save(services.save_sitting, request, sitting=sitting)
        elif formset.model is Material:
            for material in formset.save(commit=False):
                material.course = form.instance
                _save(services.save_material, request, material=material)


class ReadOnlyAdmin(ScopedAdmin):
    write_action = "training.manage"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ["mandate", "course", "origin", "status", "hours", "updated_at"]
    list_select_related = ["mandate__person", "mandate__congress", "mandate__term", "course"]
    list_filter = ["status", "origin", OverdueFilter, ("course", CourseFilter), ("course__plan", PlanFilter)]
    search_fields = ["mandate__person__name", "course__title"]
    fields = ["course", "mandate", "origin", "status", "nominated_by", "waitlisted_at", "responded_at", "decided_by",
              "note", "hours"]  # fmt: skip
    readonly_fields = fields
    actions = ["remind_selected"]

    @admin.action(description=_("Remind the nominated deputies to confirm"))
    def remind_selected(self, request, queryset):
        remind(self, request, queryset, lambda ids: services.remind_nominees(actor=request.user, enrolment_ids=ids))


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["enrolment", "sitting", "status", "channel", "checked_in_at", "hours"]
    list_select_related = ["enrolment__mandate__person", "enrolment__course", "sitting__course"]
    list_filter = ["status", "channel", ("sitting__course", CourseFilter)]
    search_fields = ["enrolment__mandate__person__name", "sitting__course__title"]
    fields = ["sitting", "enrolment", "status", "channel", "checked_in_at", "hours", "recorded_by"]
    readonly_fields = fields
