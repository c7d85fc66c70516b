"""Livelihood console: programmes, set up and edited through the services (every change in the record's history);
proposals and candidates are listed read-only (they change on the programme's page, the public and deputy forms,
and the office's assessment). Ballots have no console page: a ballot is secret. Corrections of published results
and the year-end appraisals are listed read-only too: they are made on the programme's pages, on record."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from congress import scope
from congress.admin import ScopedAdmin
from congress.errors import DomainError
from congress.models import Congress, OrganisationKind, Role, UnitCategory

from . import services
from .models import (
    Appraisal,
    Candidate,
    Correction,
    Milestone,
    Programme,
    ProgressReport,
    Proposal,
    SiteVisit,
    SupervisionGroup,
)


def _save(call, request, **kwargs):
    """Run a service for the console; a rule it breaks refuses the save with its message, as the other consoles do."""
    try:
        return call(actor=request.user, **kwargs)
    except DomainError as exc:
        detail = "; ".join(str(m) for errors in exc.fields.values() for m in errors) or str(exc.message)
        raise PermissionDenied(detail) from exc


@admin.register(Programme)
class ProgrammeAdmin(ScopedAdmin):
    list_display = ["title", "congress", "year", "projects", "status", "vote_on", "page"]
    list_select_related = ["congress"]
    list_filter = ["status", "year"]
    search_fields = ["title"]
    fields = ["congress", "year", "title", "solicit_from", "solicit_until", "screen_until", "vote_on", "carry_until",
              "appraise_from", "appraise_until", "projects", "office", "status", "present", "published_at"]  # fmt: skip
    readonly_fields = ["status", "present", "published_at"]

    @admin.display(description=_("page"))
    def page(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("open"))

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return scope.has_role(request.user, Role.STAFF)
        return scope.can(request.user, "livelihood.manage", obj)

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "congress"] if obj is not None else self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "congress":
            kwargs["queryset"] = Congress.objects.filter(pk__in=scope.congress_ids(request.user, (Role.STAFF,)))
            return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)
        if db_field.name == "office":
            kwargs["queryset"] = scope.visible(request.user, db_field.remote_field.model).filter(
                kind=OrganisationKind.HANDLING_UNIT, unit_category=UnitCategory.GOVERNMENT
            )
            return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        values = {key: form.cleaned_data[key] for key in services.PROGRAMME_FIELDS if key in form.cleaned_data}
        if change:
            _save(services.edit_programme, request, programme_id=obj.pk, **values)
        else:
            saved = _save(services.create_programme, request, congress_id=form.cleaned_data["congress"].pk, **values)
            obj.pk = saved.pk


class ReadOnlyAdmin(ScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "programme", "source", "area", "status", "feasibility", "department"]
    list_select_related = ["programme", "department"]
    list_filter = ["status", "source", "feasibility"]
    search_fields = ["title", "description", "area", "tracking_code"]
    fields = ["programme", "number", "tracking_code", "source", "title", "description", "area", "benefit",
              "proposer_name", "phone_tail", "station", "status", "merged_into", "feasibility", "cost", "department",
              "assessment", "assessed_at", "screening_reason"]  # fmt: skip
    readonly_fields = fields


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "programme", "department", "cost", "votes", "rank", "outcome"]
    list_select_related = ["programme", "department"]
    list_filter = ["outcome"]
    fields = ["programme", "proposal", "number", "title", "department", "cost", "votes", "rank", "outcome"]
    readonly_fields = fields


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    list_display = ["candidate", "programme", "votes_before", "votes_after", "outcome_before", "outcome_after",
                    "corrected_by", "corrected_at"]  # fmt: skip
    list_select_related = ["candidate", "programme", "corrected_by"]
    fields = ["programme", "candidate", "votes_before", "votes_after", "outcome_before", "outcome_after", "reason",
              "corrected_by", "corrected_at"]  # fmt: skip
    readonly_fields = fields


@admin.register(Appraisal)
class AppraisalAdmin(ReadOnlyAdmin):
    list_display = ["candidate", "satisfied", "basically_satisfied", "dissatisfied", "status", "correct_by"]
    list_select_related = ["candidate"]
    list_filter = ["status"]
    fields = ["candidate", "satisfied", "basically_satisfied", "dissatisfied", "status", "correct_by", "report",
              "reported_at", "reported_by", "closed_at", "closed_by", "closing_note"]  # fmt: skip
    readonly_fields = fields


# Carrying out and supervision: read-only here; they change on each project's page (views_carrying.py), where the
# services check who may.


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ["title", "project", "due_on", "done_at"]
    list_select_related = ["project"]
    search_fields = ["title", "project__title"]
    fields = ["project", "title", "due_on", "done_at", "done_note"]
    readonly_fields = fields


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["project", "year", "quarter", "spent", "updated_at"]
    list_select_related = ["project"]
    list_filter = ["year", "quarter"]
    fields = ["project", "year", "quarter", "text", "spent"]
    readonly_fields = fields


@admin.register(SupervisionGroup)
class SupervisionGroupAdmin(ReadOnlyAdmin):
    list_display = ["project", "committee", "group"]
    list_select_related = ["project", "committee", "group"]
    fields = ["project", "committee", "group"]
    readonly_fields = fields


@admin.register(SiteVisit)
class SiteVisitAdmin(ReadOnlyAdmin):
    list_display = ["project", "visited_on", "place", "mandate"]
    list_select_related = ["project", "mandate__person", "mandate__congress", "mandate__term"]
    search_fields = ["place", "project__title"]
    fields = ["project", "visited_on", "place", "seen", "opinions", "activity", "mandate"]
    readonly_fields = fields
