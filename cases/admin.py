"""Case-selection console: campaigns, cases, rounds, decisions and awards listed (scoped) with a link to their
page. They change only through their workflow on the web pages and the API, where the rules are checked."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from congress.admin import ScopedAdmin

from .models import Award, Campaign, Decision, Round, Submission


class ReadOnlyAdmin(ScopedAdmin):
    write_action = "cases.manage"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _page_link(url):
    return format_html('<a href="{}">{}</a>', url, _("open"))


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["title", "year", "kind", "congress", "status", "page"]
    list_select_related = ["congress"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["title"]
    fields = ["title", "year", "kind", "congress", "status", "submissions_open", "submissions_close", "slug",
              "finished_at"]  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("page"))
    def page(self, obj):
        return _page_link(obj.get_absolute_url())


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["title", "campaign", "unit", "level", "status", "submitted_at", "page"]
    list_select_related = ["campaign", "unit"]
    list_filter = ["status", "level"]
    search_fields = ["title", "unit__name"]
    fields = ["title", "campaign", "unit", "level", "station", "suggestion", "status", "submitted_at", "review_note"]
    readonly_fields = fields

    @admin.display(description=_("page"))
    def page(self, obj):
        return _page_link(obj.get_absolute_url())


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["name", "campaign", "position", "kind", "status", "opens_at", "closes_at", "page"]
    list_select_related = ["campaign"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "campaign__title"]
    fields = ["campaign", "position", "name", "kind", "status", "opens_at", "closes_at", "advance",
              "approvals_per_voter", "quota_per_level", "online_weight", "panel_weight", "public_vote", "tie_slots",
              "decided_at", "decided_by"]  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("page"))
    def page(self, obj):
        return _page_link(obj.get_absolute_url())


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["round", "kind", "decided_by", "created_at"]
    list_select_related = ["round__campaign", "decided_by"]
    list_filter = ["kind"]
    fields = ["round", "kind", "tie_group", "reason", "decided_by", "created_at"]
    readonly_fields = fields


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["submission", "campaign", "rank", "score"]
    list_select_related = ["submission", "campaign"]
    fields = ["campaign", "submission", "rank", "score"]
    readonly_fields = fields
