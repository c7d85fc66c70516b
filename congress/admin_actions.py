"""Bulk actions shared by the console's lists: Export (every scoped list) and the helpers of Remind. The work is
done by services: congress.exports writes the file in the background, the apps' remind services send."""

from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import exports
from .errors import DomainError

# A reminder is a handful of queries per open deadline; a larger selection is better narrowed with the filters
# (overdue, unit) than sent in one request.
MAX_REMIND = 500


def job_page(job) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("admin:congress_consolejob_change", args=[job.pk]))


class ExportActionMixin:
    """Adds "Export the selected rows" to a console list: the rows go to .xlsx in the background and the job's page
    shows the progress, then the file. `export_fields` names the columns (the list's columns by default) for
    models without an exporter of their own (congress.exports.register)."""

    export_fields: list[str] | None = None

    def get_export_fields(self, request) -> list[str]:
        return list(self.export_fields or self.get_list_display(request))

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.actions is None or IS_POPUP_VAR in request.GET or not self.has_view_permission(request):
            return actions
        func, name, description = self.get_action("export_selected")
        actions[name] = (func, name, description)
        return actions

    @admin.action(description=gettext_lazy("Export the selected rows (.xlsx)"))
    def export_selected(self, request, queryset):
        related = self.list_select_related if isinstance(self.list_select_related, list | tuple) else []
        job = exports.start(
            actor=request.user, model=self.model, ids=list(queryset.order_by("pk").values_list("pk", flat=True)),
            fields=self.get_export_fields(request), related=related,
        )  # fmt: skip
        return job_page(job)


def remind(model_admin, request, queryset, send) -> None:
    """Run a remind service, send(ids), over the selection and tell the user what came of it."""
    count = queryset.count()
    if count > MAX_REMIND:
        model_admin.message_user(
            request, _("Choose at most %(n)s records to remind at a time.") % {"n": MAX_REMIND}, messages.WARNING
        )
        return
    try:
        told = send(list(queryset.values_list("pk", flat=True)))
    except DomainError as exc:
        model_admin.message_user(request, str(exc.message), messages.ERROR)
        return
    if told:
        model_admin.message_user(
            request, ngettext("%(n)s reminder sent.", "%(n)s reminders sent.", told) % {"n": told}, messages.SUCCESS
        )
    else:
        model_admin.message_user(
            request, _("Nobody to remind: nothing is due on these records, or they were reminded today already."),
            messages.WARNING,
        )  # fmt: skip
