"""Soft delete for plain reference records (a term's delegations, constituencies, deputy groups): staff archive a
row instead of deleting it, and restore it later.

The console deletes nothing by default (ScopedAdmin refuses delete). Records with a lifecycle end through their
services (a mandate ends, a suggestion closes, a station is deactivated); records without one inherit Archivable:
an archived row keeps its links from history, drops out of the console's default list, of choice lists and of
imports, and comes back with Restore. Archive and restore are services with an audit record."""

from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import DomainError


class ArchivableQuerySet(models.QuerySet):
    def live(self):
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)


class Archivable(models.Model):
    """A record staff archive rather than delete. The default manager still returns every row (validation, links
    and the console need archived rows too); ask for `.live()` where only rows in use belong."""

    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


def archive(*, actor, obj: Archivable) -> bool:
    """Take a reference record out of use without deleting it; False when it was archived already."""
    return _set_archived(actor, obj, archived=True)


def restore(*, actor, obj: Archivable) -> bool:
    """Put an archived record back in use; False when it was not archived."""
    return _set_archived(actor, obj, archived=False)


def _set_archived(actor, obj: Archivable, *, archived: bool) -> bool:
    from . import audit, scope
    from .rules import WRITE_ACTIONS

    model = type(obj)
    with transaction.atomic():
        row = model.objects.select_for_update().get(pk=obj.pk)
        scope.require(actor, WRITE_ACTIONS[model], row)
        if row.is_archived == archived:
            return False
        now = timezone.now()
        old, new = row.archived_at, now if archived else None
        fields = {"archived_at": new}
        if any(field.name == "updated_at" for field in model._meta.concrete_fields):
            fields["updated_at"] = now
        # A plain update: the named audit entry below is the record, not a second automatic one.
        model.objects.filter(pk=row.pk).update(**fields)
        audit.record(actor, row, "archive" if archived else "restore", {"archived_at": (old, new)})
    obj.archived_at = new
    return True


def offer_live_choices(form) -> None:
    """Limit a form's choices of archivable rows to those in use, keeping the ones the record already has."""
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is None or not issubclass(queryset.model, Archivable):
            continue
        current = form.initial.get(name)
        values = current if isinstance(current, list | tuple | set | models.QuerySet) else [current]
        chosen = [getattr(value, "pk", value) for value in values if value is not None]
        field.queryset = queryset.filter(Q(archived_at__isnull=True) | Q(pk__in=chosen))


class ArchivedFilter(admin.SimpleListFilter):
    """The console lists rows in use unless asked for the archived ones."""

    title = _("archived")
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("yes", _("Archived")), ("all", _("All"))]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("In use"),
        }
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        if self.value() == "yes":
            return queryset.filter(archived_at__isnull=False)
        return queryset.filter(archived_at__isnull=True)


class ArchiveAdminMixin:
    """Archive and Restore actions in place of delete; archived rows are read-only and not offered as choices."""

    actions = ["archive_selected", "restore_selected"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), ArchivedFilter]

    def get_list_display(self, request):
        display = list(super().get_list_display(request))
        return [*display, "archived_at"] if request.GET.get(ArchivedFilter.parameter_name) else display

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_archived:
            return False  # restore it first
        return super().has_change_permission(request, obj)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "autocomplete":
            queryset = queryset.filter(archived_at__isnull=True)  # another form's choices: rows in use only
        return queryset, may_have_duplicates

    def _apply(self, request, queryset, service, done_message):
        changed = 0
        for obj in queryset.order_by("pk"):
            try:
                changed += service(actor=request.user, obj=obj)
            except DomainError as exc:
                self.message_user(request, f"{obj}: {exc.message}", messages.ERROR)
        self.message_user(request, done_message % {"n": changed}, messages.SUCCESS)

    @admin.action(description=_("Archive the selected records"), permissions=["change"])
    def archive_selected(self, request, queryset):
        self._apply(request, queryset, archive, _("%(n)s records archived."))

    @admin.action(description=_("Restore the selected archived records"), permissions=["change"])
    def restore_selected(self, request, queryset):
        self._apply(request, queryset, restore, _("%(n)s records restored."))
