"""Roster console: thin admin classes over congress.scope and deputies.services."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from congress import personal_data, scope, uploads
from congress.admin import ScopedAdmin
from congress.admin_filters import RegionFilter
from congress.admin_history import AuditHistoryMixin
from congress.errors import DomainError
from congress.softdelete import ArchiveAdminMixin

from . import idnumbers, services
from .models import (
    ContactAssignment,
    ContactRecord,
    Delegation,
    DeputyGroup,
    DutyEntry,
    DutyKind,
    ElectoralUnit,
    EthnicGroup,
    GuestInvitation,
    ImportJob,
    Mandate,
    Party,
    Person,
    PointsItem,
    PointsTable,
)


class MandateRegionFilter(RegionFilter):
    region_path = "region_code"


class MandateInline(admin.TabularInline):
    model = Mandate
    extra = 0
    can_delete = False
    fields = ["congress", "term", "level", "delegation", "start_date", "status", "end_date", "end_reason",
              "status_link"]  # fmt: skip
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("status"))
    def status_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("deputies:mandate_action", args=[obj.pk]), _("change"))


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    list_display = ["name", "gender", "ethnic_group", "party", "occupation", "work_unit", "grassroots"]
    list_filter = ["gender", "occupation", "education", "grassroots", "returned_overseas", "party"]
    search_fields = ["name", "work_unit"]
    list_select_related = ["ethnic_group", "party"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["tags"]
    inlines = [MandateInline]
    write_action = "deputies.change_roster"

    def get_queryset(self, request):
        return scope.visible(request.user, Person, Person.objects.all())

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "photo":
            kwargs.update(widget=uploads.ScopedFileInput("deputies:photo"), validators=[uploads.KindValidator("image")])
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_exclude(self, request, obj=None):
        if obj is not None and not scope.can(request.user, "deputies.view_personal_data", obj):
            return ["id_number", "phone"]
        return []

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not scope.can(request.user, "deputies.view_personal_data", obj):
            return ["masked_id_number", "masked_phone"]
        return []

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and scope.can(request.user, "deputies.view_personal_data", obj):
            personal_data.seen(request.user, obj, "console")
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj):
        return idnumbers.mask(obj.id_number)

    @admin.display(description=_("mobile phone"))
    def masked_phone(self, obj):
        return idnumbers.mask_phone(obj.phone)

    def has_add_permission(self, request):
        return False  # a new deputy comes with a mandate: through the import or the API

    def save_model(self, request, obj, form, change):
        try:
            services.save_person(actor=request.user, person=obj)
        except DomainError as exc:
            raise PermissionDenied(str(exc.message)) from exc

    def save_related(self, request, form, formsets, change):
        form.save_m2m()


@admin.register(Mandate)
class MandateAdmin(ScopedAdmin):
    list_display = ["person", "congress", "term", "level", "delegation", "status", "start_date", "status_link"]
    list_filter = [
        "level",
        "status",
        "end_reason",
        MandateRegionFilter,
        ("congress", admin.RelatedOnlyFieldListFilter),
        ("delegation", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["person__name", "person__work_unit"]
    list_select_related = ["person", "congress", "term__congress", "delegation"]
    autocomplete_fields = ["person", "congress", "term", "electoral_unit", "delegation"]
    readonly_fields = ["level", "status", "end_date", "end_reason"]
    write_action = "deputies.change_roster"
    actions = ["assign_to_member"]

    @admin.action(description=_("Assign the selected deputies to a committee member"))
    def assign_to_member(self, request, queryset):
        from django.shortcuts import render

        from congress.models import User

        from .forms import AssignContactsForm

        form = AssignContactsForm(request.POST if "member" in request.POST else None)
        form.fields["member"].queryset = User.objects.filter(
            memberships__role__in=["staff", "supervisor"],
            memberships__congress_id__in=scope.congress_ids(request.user),
        ).distinct()
        if form.is_valid():
            try:
                created = services.assign_contacts(
                    actor=request.user, member=form.cleaned_data["member"], mandates=list(queryset)
                )
            except DomainError as exc:
                self.message_user(request, str(exc.message), messages.ERROR)
                return None
            self.message_user(request, _("%(n)s new contact pairs.") % {"n": created}, messages.SUCCESS)
            return None
        return render(
            request,
            "deputies/assign_contacts.html",
            {**self.admin_site.each_context(request), "form": form, "mandates": queryset, "opts": self.model._meta,
             "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME},
        )  # fmt: skip

    @admin.display(description=_("status"))
    def status_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("deputies:mandate_action", args=[obj.pk]), _("change"))

    def save_model(self, request, obj, form, change):
        try:
            services.save_mandate(actor=request.user, mandate=obj)
        except DomainError as exc:
            raise PermissionDenied(str(exc.message)) from exc


class TermBoundAdmin(ArchiveAdminMixin, ScopedAdmin):
    list_display = ["name", "congress", "term"]
    list_filter = ["congress__level"]
    search_fields = ["name"]
    autocomplete_fields = ["congress", "term"]


admin.site.register(ElectoralUnit, TermBoundAdmin)
admin.site.register(Delegation, TermBoundAdmin)


@admin.register(DeputyGroup)
class DeputyGroupAdmin(TermBoundAdmin):
    """Groups are kept on their console pages (members and roles through the services); the admin lists them."""

    list_display = ["name", "kind", "remit", "congress", "term", "members_link"]
    list_filter = ["kind", "congress__level"]
    autocomplete_fields = ["congress", "term", "region"]

    @admin.display(description=_("members"))
    def members_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("deputies:group", args=[obj.pk]), _("members and roles"))


@admin.register(ContactAssignment)
class ContactAssignmentAdmin(ScopedAdmin):
    list_display = ["member", "mandate", "congress", "active"]
    list_filter = ["active", "congress"]
    search_fields = ["member__name", "mandate__person__name"]
    autocomplete_fields = ["mandate", "congress"]
    raw_id_fields = ["member"]


@admin.register(ContactRecord)
class ContactRecordAdmin(ScopedAdmin):
    list_display = ["date", "assignment", "mode", "topic"]
    list_filter = ["mode"]
    search_fields = ["assignment__mandate__person__name", "assignment__member__name", "topic"]
    date_hierarchy = "date"

    def has_add_permission(self, request):
        return False  # logged through the API or the member's page, which check the assignment

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(GuestInvitation)
class GuestInvitationAdmin(ScopedAdmin):
    list_display = ["meeting", "meeting_date", "mandate", "status"]
    list_filter = ["status"]
    search_fields = ["meeting", "mandate__person__name"]
    autocomplete_fields = ["mandate", "session"]
    readonly_fields = ["status"]
    actions = ["mark_attended", "mark_absent"]

    def _mark(self, request, queryset, attended):
        for invitation in queryset:
            try:
                services.mark_guest_attendance(actor=request.user, invitation_id=invitation.pk, attended=attended)
            except DomainError as exc:
                self.message_user(request, f"{invitation}: {exc.message}", messages.ERROR)
        self.message_user(request, _("Attendance recorded."), messages.SUCCESS)

    @admin.action(description=_("Mark as attended"))
    def mark_attended(self, request, queryset):
        self._mark(request, queryset, True)

    @admin.action(description=_("Mark as absent"))
    def mark_absent(self, request, queryset):
        self._mark(request, queryset, False)


@admin.register(DutyEntry)
class DutyEntryAdmin(ScopedAdmin):
    list_display = ["date", "mandate", "kind", "title", "quantity"]
    list_filter = ["kind", "year"]
    search_fields = ["mandate__person__name", "title"]
    autocomplete_fields = ["mandate"]
    exclude = ["recorded_by", "source"]
    list_select_related = ["mandate__person", "mandate__congress", "mandate__term", "kind"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            # Items other apps write (attendance, submissions) are not typed in: they would count twice.
            kwargs["queryset"] = DutyKind.objects.filter(recorded_by_staff=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(PointsTable)
class PointsTableAdmin(ScopedAdmin):
    list_display = ["congress", "term", "year", "published_at", "published_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PointsItem)
class PointsItemAdmin(ScopedAdmin):
    """A congress's own points catalogue: staff set each item's points and yearly cap (negative for deductions)."""

    list_display = ["kind", "congress", "points", "cap"]
    list_editable = ["points", "cap"]
    list_filter = ["congress"]
    list_select_related = ["kind", "congress"]
    search_fields = ["kind__name", "kind__code"]
    ordering = ["congress", "kind__position", "kind__code"]


@admin.register(ImportJob)
class ImportJobAdmin(ScopedAdmin):
    list_display = ["original_name", "status", "total_rows", "error_count", "created_by", "created_at", "open_link"]
    list_filter = ["status"]
    exclude = ["file"]  # kept for the import alone; no address serves it

    @admin.display(description=_("open"))
    def open_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("deputies:import", args=[obj.pk]), _("open"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CatalogueAdmin(AuditHistoryMixin, admin.ModelAdmin):
    """Shared code lists: everyone on staff reads them, provincial staff change them."""

    def has_module_permission(self, request):
        return scope.has_role(request.user, "staff")

    def has_view_permission(self, request, obj=None):
        return scope.has_role(request.user, "staff")

    def has_add_permission(self, request):
        return scope.can(request.user, "deputies.change_catalogue", None)

    def has_change_permission(self, request, obj=None):
        return scope.can(request.user, "deputies.change_catalogue", obj)

    def has_delete_permission(self, request, obj=None):
        return False  # rows refer to their codes; a code list keeps every entry it ever had


@admin.register(DutyKind)
class DutyKindAdmin(CatalogueAdmin):
    list_display = ["code", "name", "points", "cap", "position", "recorded_by_staff"]
    list_editable = ["points", "cap"]


@admin.register(EthnicGroup)
class EthnicGroupAdmin(CatalogueAdmin):
    list_display = ["code", "name"]
    search_fields = ["name"]


@admin.register(Party)
class PartyAdmin(CatalogueAdmin):
    list_display = ["code", "name"]
    search_fields = ["name"]
