"""The console page of a background job (an export, a bulk assignment): its progress, polled by
static/congress/progress.js as on the roster import page, then its result and file. Each staff member sees their
own jobs (congress.rules)."""

from django.contrib import admin
from django.http import FileResponse, Http404, JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import scope
from .admin_history import StaffReadOnlyAdmin
from .models import ConsoleJob

NAME = "congress_consolejob"


@admin.register(ConsoleJob)
class ConsoleJobAdmin(StaffReadOnlyAdmin):
    change_form_template = "admin/congress/consolejob/change_form.html"
    list_display = ["title", "status", "progress", "created_at", "finished_at", "file_link"]
    list_filter = ["status"]
    search_fields = ["title"]
    fields = ["title", "status", "total", "processed", "message", "created_at", "finished_at"]
    readonly_fields = fields
    actions = None

    def get_queryset(self, request):
        return scope.visible(request.user, ConsoleJob, super().get_queryset(request))

    @admin.display(description=_("progress"))
    def progress(self, obj):
        return f"{obj.processed} / {obj.total} ({obj.percent}%)"

    @admin.display(description=_("file"))
    def file_link(self, obj):
        if not obj.file:
            return "—"
        url = reverse("admin:congress_consolejob_file", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("download"))

    def get_urls(self):
        return [
            path("<int:pk>/progress/", self.admin_site.admin_view(self.progress_view), name=f"{NAME}_progress"),
            path("<int:pk>/file/", self.admin_site.admin_view(self.file_view), name=f"{NAME}_file"),
            *super().get_urls(),
        ]

    def _job(self, request, pk) -> ConsoleJob:
        job = self.get_object(request, str(pk))
        if job is None or not self.has_view_permission(request, job):
            raise Http404
        return job

    def progress_view(self, request, pk):
        job = self._job(request, pk)
        return JsonResponse(
            {"status": job.status, "status_label": job.get_status_display(), "percent": job.percent,
             "processed": job.processed, "total": job.total}
        )  # fmt: skip

    def file_view(self, request, pk):
        job = self._job(request, pk)
        if not job.file:
            raise Http404
        name = job.params.get("filename") or job.file.name.rsplit("/", 1)[-1]
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=name)
