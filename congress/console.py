"""The staff console: Django's admin site, with its sidebar by work area and the dashboard as its front page."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from . import dashboard, notifications, replica

# Staff think in work areas, not in Django apps: each area lists the apps it gathers; the last one takes the rest.
AREAS = [
    ("roster", _("Roster"), ["deputies"]),
    ("stations", _("Deputy homes and stations"), ["liaison_stations"]),
    ("suggestions", _("Suggestions"), ["suggestions"]),
    ("training", _("Training"), ["training"]),
    ("activities", _("Activities"), ["activities"]),
    ("cases", _("Excellent cases"), ["cases"]),
    ("settings", _("Organisation and settings"), None),
]


class BadLookupsRefused:
    """Django's change list reads a date hierarchy's year, month and day with int() and catches only ValueError,
    so a number too large for a date (?created_at__year=99999999999999999999) was a 500. Refused here as Django
    refuses any other bad filter: the list again, with ?e=1."""

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


class ConsoleSite(admin.AdminSite):
    site_header = _("Staff console")
    site_title = _("Staff console")
    index_title = _("Dashboard")
    index_template = "admin/dashboard.html"

    def register(self, model_or_iterable, admin_class=None, **options):
        # Every console model page, ours and the packages' (axes, django-celery-beat ...), refuses bad filters alike.
        base = admin_class or admin.ModelAdmin
        guarded = type(base.__name__, (BadLookupsRefused, base), {"__module__": base.__module__})
        super().register(model_or_iterable, guarded, **options)

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        if app_label:
            return app_list
        return group_by_area(app_list)

    def get_urls(self):
        return [path("area/<slug:area>/", self.admin_view(self.area_index), name="area"), *super().get_urls()]

    def index(self, request, extra_context=None):
        # The panels are computed here, as lists of numbers; the page that renders them reads nothing heavy.
        with replica.reads():
            view = dashboard.build(request.user, request.GET.get("congress"))
        context = {"dashboard": view, "sms_unavailable": not notifications.sms_available()}
        return super().index(request, {**(extra_context or {}), **context})

    def area_index(self, request, area):
        found = [entry for entry in self.get_app_list(request) if entry["app_label"] == area]
        if not found:
            raise Http404
        context = {
            **self.each_context(request),
            "title": found[0]["name"],
            "subtitle": None,
            "app_list": found,
            "app_label": area,
        }
        request.current_app = self.name
        return TemplateResponse(request, "admin/app_index.html", context)


def group_by_area(app_list: list[dict]) -> list[dict]:
    """Django's per-app list regrouped into the work areas, keeping the order of AREAS."""
    claimed = {label for _key, _name, labels in AREAS if labels for label in labels}
    areas = []
    for key, name, labels in AREAS:
        apps = [a for a in app_list if (a["app_label"] in labels if labels else a["app_label"] not in claimed)]
        models = sorted((m for a in apps for m in a["models"]), key=lambda m: str(m["name"]))
        if models:
            areas.append(
                {
                    "name": name,
                    "app_label": key,
                    "app_url": reverse("admin:area", args=[key]),
                    "has_module_perms": True,
                    "models": models,
                }
            )
    return areas
