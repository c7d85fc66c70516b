"""Activities console: the kinds (a code list), and activities with their sittings, materials and non-deputy
participants, saved through the services (every change in the record's history); invitations, attendance and
corrections are listed read-only (they change on the activity's page, the deputy's portal and check-in)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from congress import scope, uploads
from congress.admin import ScopedAdmin
from congress.errors import DomainError
from congress.models import Congress, OrganisationKind
from deputies.admin import CatalogueAdmin

from . import services
from .models import Activity, ActivityKind, Attendance, Correction, Invitation, Material, Participant, Sitting


def _save(call, request, **kwargs):
    """Run a service for the console; a rule it breaks refuses the save with its message, as the other consoles do."""
    try:
        return call(actor=request.user, **kwargs)
    except DomainError as exc:
        detail = "; ".join(str(m) for errors in exc.fields.values() for m in errors) or str(exc.message)
        raise PermissionDenied(detail) from exc


@admin.register(ActivityKind)
class ActivityKindAdmin(CatalogueAdmin):
    list_display = ["code", "name", "duty_kind", "position"]
    list_select_related = ["duty_kind"]
    list_editable = ["position"]


class _ScopedInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        # On the add page the parent does not exist yet: the service checks the rule when it is saved.
        if obj is None:
            return scope.has_role(request.user, "staff")
        return scope.can(request.user, "activities.manage", obj)

    has_change_permission = has_add_permission

    def has_delete_permission(self, request, obj=None):
        return False  # nothing is hard-deleted from the console


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
            "widget": uploads.ScopedFileInput("activities:material"),
            "validators": [uploads.KindValidator("document")],
        },
    }


class ParticipantInline(_ScopedInline):
    model = Participant
    fields = ["kind", "name", "affiliation", "note"]


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin):
    list_display = ["title", "kind", "congress", "starts_on", "ends_on", "status", "taken", "capacity", "page"]
    list_select_related = ["congress", "kind"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "theme", "places"]
    date_hierarchy = "starts_on"
    filter_horizontal = ["co_congresses"]
    fields = ["congress", "kind", "title", "theme", "description", "organiser", "organiser_group",
              "organiser_station", "co_congresses", "starts_on", "ends_on", "places", "capacity", "status",
              "taken"]  # fmt: skip
    readonly_fields = ["status", "taken"]
    inlines = [SittingInline, MaterialInline, ParticipantInline]

    @admin.display(description=_("page"))
    def page(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("open"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organiser":
            kwargs["queryset"] = scope.visible(request.user, db_field.remote_field.model).exclude(
                kind=OrganisationKind.HANDLING_UNIT
            )
            return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)
        if db_field.name in ("organiser_group", "organiser_station"):
            related = db_field.remote_field.model.objects.select_related("congress")
            if not request.user.is_superuser:
                related = related.filter(congress_id__in=scope.congress_ids(request.user))
            kwargs["queryset"] = related
            return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "co_congresses":
            # A joint activity crosses regions: any congress may co-organise.
            kwargs["queryset"] = Congress.objects.select_related("region").order_by("region__code")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        pass  # saved with its co-organisers in save_related, in one service call

    def save_related(self, request, form, formsets, change):
        _save(services.save_activity, request, activity=form.instance,
              co_congresses=form.cleaned_data.get("co_congresses"))  # fmt: skip
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        for row in formset.save(commit=False):
            row.activity = form.instance
            if formset.model is Sitting:
                _save(services.save_sitting, request, sitting=row)
            elif formset.model is Material:
                _save(services.save_material, request, material=row)
            elif formset.model is Participant:
                _save(services.save_participant, request, participant=row)


class ReadOnlyAdmin(ScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["mandate", "activity", "status", "responded_at", "updated_at"]
    list_select_related = ["mandate__person", "mandate__congress", "mandate__term", "activity"]
    list_filter = ["status"]
    search_fields = ["mandate__person__name", "activity__title"]
    fields = ["activity", "mandate", "status", "invited_by", "waitlisted_at", "responded_at", "decline_reason"]
    readonly_fields = fields


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["invitation", "sitting", "status", "channel", "checked_in_at"]
    list_select_related = ["invitation__mandate__person", "invitation__activity", "sitting__activity"]
    list_filter = ["status", "channel"]
    search_fields = ["invitation__mandate__person__name", "sitting__activity__title"]
    fields = ["sitting", "invitation", "status", "channel", "checked_in_at", "recorded_by"]
    readonly_fields = fields


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    list_display = ["attendance", "before", "after", "reason", "corrected_by", "corrected_at"]
    list_select_related = ["attendance__sitting__activity", "attendance__invitation__mandate__person", "corrected_by"]
    fields = ["attendance", "before", "after", "reason", "corrected_by", "corrected_at"]
    readonly_fields = fields
