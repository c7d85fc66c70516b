"""History on every console record: the latest audit entries under its form, and its History button opening the
whole audit trail (django-auditlog). Django's own admin history would miss every change made through a service,
a page or the API; the audit log holds them all."""

from auditlog.mixins import AuditlogHistoryAdminMixin
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.http import Http404

from . import scope
from .models import Role

RECENT_ENTRIES = 5


class AuditHistoryMixin(AuditlogHistoryAdminMixin):
    """Mixed into every console ModelAdmin (ScopedAdmin and the others of our apps)."""

    show_auditlog_history_link = True

    def history_view(self, request, object_id, extra_context=None):
        return self.auditlog_history_view(request, object_id, extra_context)

    def auditlog_history_view(self, request, object_id, extra_context=None):
        # The mixin itself would render an empty page for a record outside the user's scope.
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        # django-auditlog unquotes the address with urllib, not the admin's quoting: a key with "_" (a duty item
        # code) arrives as "_5F" and its page failed. Hand it the admin-unquoted key.
        return super().auditlog_history_view(request, unquote(object_id), extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Read by key, not through the object: change_view fetches (and scope-checks) the object itself and shows
        # nothing of this context when the user may not see it.
        entries = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(self.model),
                object_pk=unquote(object_id),
            )
            .select_related("actor")
            .order_by("-timestamp")[:RECENT_ENTRIES]
        )
        context = {**(extra_context or {}), "audit_entries": list(entries)}
        return super().change_view(request, object_id, form_url, context)


class StaffReadOnlyAdmin(AuditHistoryMixin, admin.ModelAdmin):
    """A console page staff read and never edit, add to or delete from here: what changes these records is a
    service or an action of the page (a job runs, an authenticator is reset)."""

    def has_module_permission(self, request):
        return scope.has_role(request.user, Role.STAFF)

    def has_view_permission(self, request, obj=None):
        return scope.has_role(request.user, Role.STAFF)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
