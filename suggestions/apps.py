from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "suggestions"
    verbose_name = _("Suggestions")

    def ready(self):
        from congress import audit

        audit.name_actions({
            "draft_from_opinion": _("drafted from a citizen's opinion"),
            "remove_attachment": _("attachment removed"),
            "close": _("closed"),
        })  # fmt: skip
        from auditlog.registry import auditlog

        from . import models, rules, services, workflow  # noqa: F401 - registers scope rules

        for model, options in models.audited_models():
            if not auditlog.contains(model):
                auditlog.register(model, **options)
        workflow.register()
        from congress import jobs

        jobs.register(services.BULK_ASSIGN_JOB, services.run_bulk_assign)
        _track_deletions(models)

    def dashboard_panels(self, view):
        from . import dashboard

        return dashboard.panels(view)

    def home_links(self, user):
        from django.urls import reverse
        from django.utils.translation import gettext as _
        from django.utils.translation import ngettext

        from congress import scope

        from . import selectors

        links = []
        if getattr(user, "person", None) is not None:
            mine = reverse("suggestions:mine")
            links.append((_("My suggestions"), mine))
            # What waits for the deputy, on the landing page itself.
            owed = len(selectors.feedback_to_give(user))
            if owed:
                label = ngettext(
                    "%(n)s reply waiting for your feedback", "%(n)s replies waiting for your feedback", owed
                )
                links.append((label % {"n": owed}, f"{mine}#feedback"))
            asked = selectors.cosign_requests(user).count()
            if asked:
                label = ngettext("%(n)s request to co-sign", "%(n)s requests to co-sign", asked)
                links.append((label % {"n": asked}, f"{mine}#cosign"))
        if scope.has_role(user, "staff"):
            links += [
                (_("Review and assign suggestions"), reverse("suggestions:review")),
                (_("Suggestion statistics"), reverse("suggestions:statistics")),
            ]
        if scope.has_role(user, "staff", "supervisor"):
            links.append((_("Key supervision"), reverse("suggestions:supervision")))
        if scope.has_role(user, "unit_officer"):
            links.append((_("Suggestions assigned to my unit"), reverse("suggestions:unit")))
        links.append((_("Published suggestions and replies"), reverse("suggestions:public")))
        return links

    def public_tiles(self):
        from django.urls import reverse
        from django.utils.translation import gettext as _

        return [
            {"order": 40, "title": _("Suggestions and their replies"),
             "text": _("What deputies proposed, which government units handled it, and how they replied."),
             "form": {"action": reverse("suggestions:public"), "button": _("Search"),
                      "fields": [("q", _("Topic"), "search", _("e.g. 加装电梯"))]},
             "url": reverse("suggestions:public"), "link": _("All published suggestions")},
        ]  # fmt: skip

    def public_links(self):
        from django.urls import reverse
        from django.utils.translation import gettext as _

        return [(_("Published suggestions and replies"), reverse("suggestions:public"))]


def _track_deletions(models) -> None:
    from congress import tombstones

    def by_congress(row):
        return row.congress.region.code

    tombstones.track(models.Suggestion, "suggestions", "suggestions", lambda row: row.region_code)
    tombstones.track(models.Assignment, "assignments", "suggestions", lambda row: row.region_code)
    tombstones.track(models.Category, "suggestion-categories", "suggestions", by_congress)
    tombstones.track(models.KeySupervision, "key-supervisions", "suggestions", by_congress)
