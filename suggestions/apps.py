from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "suggestions"
    verbose_name = _("Suggestions")

    def ready(self):
        from congress import audit

        audit.name_actions({
            "draft_from_opinion": _("drafted from a citizen's opinion"),
            "prepare_draft": _("draft prepared by the office"),
            "remove_attachment": _("attachment removed"),
            "close": _("closed"),
            "supervision_notice_written": _("supervision notice written"),
            "reminder_letters": _("reminder letters to overdue units written"),
        })  # fmt: skip
        from auditlog.registry import auditlog

        from . import models, rules, services, workflow  # noqa: F401 - registers scope rules

        for model, options in models.audited_models():
            if not auditlog.contains(model):
                auditlog.register(model, **options)
        workflow.register()
        from congress import jobs

        jobs.register(services.BULK_ASSIGN_JOB, services.run_bulk_assign)
        jobs.register(services.letters.LETTERS_JOB, services.write_assignment_letters)
        jobs.register(services.notices.REMINDERS_JOB, services.write_reminder_letters)
        jobs.register(services.compilations.LIST_JOB, services.write_assignment_list)
        jobs.register(services.compilations.SUGGESTIONS_JOB, services.write_suggestion_compilation)
        jobs.register(services.compilations.REPLIES_JOB, services.write_reply_compilation)
        _track_deletions(models)
        from congress import topics

        topics.register(topics.Source(models.Suggestion, "submitted_at", author_field="lead_id",
                                      text_fields=("title", "content"), label="suggestions"))  # fmt: skip

    def dashboard_panels(self, view):
        from . import dashboard

        return dashboard.panels(view)

    def home_tiles(self, user):
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from congress import scope
        from congress.tiles import Tile

        from . import selectors

        tiles = []
        if getattr(user, "person", None) is not None:
            mine = reverse("suggestions:mine")
            tiles += [
                Tile(_("Replies waiting for your feedback"), f"{mine}#feedback",
                     count=len(selectors.feedback_to_give(user)), order=10),
                Tile(_("Requests to co-sign"), f"{mine}#cosign", count=selectors.cosign_requests(user).count(),
                     order=12),
                Tile(_("My suggestions"), mine, order=30),
            ]  # fmt: skip
        if scope.has_role(user, "staff"):
            review = reverse("suggestions:review")
            tiles += [
                Tile(_("Suggestions to review"), f"{review}?status=submitted",
                     count=selectors.review_list(user, status="submitted").count(), order=10),
                Tile(_("Suggestions with an overdue reply"), f"{review}?overdue=on",
                     count=selectors.review_list(user, overdue=True).count(), order=11),
                Tile(_("Suggestion statistics"), reverse("suggestions:statistics"), order=120),
            ]  # fmt: skip
        if scope.has_role(user, "staff", "supervisor"):
            tiles.append(Tile(_("Key supervision"), reverse("suggestions:supervision"), order=60))
        if scope.has_role(user, "unit_officer"):
            unit = reverse("suggestions:unit")
            owing = selectors.unit_portal(user, status="open")
            tiles.append(
                Tile(_("Suggestions to reply to"), f"{unit}?status=open", count=owing.count(),
                     overdue=selectors.unit_portal(user, status="open", overdue=True).count(),
                     overdue_url=f"{unit}?status=open&overdue=on", order=10)
            )  # fmt: skip
        tiles.append(Tile(_("Published suggestions and replies"), reverse("suggestions:public"), order=200))
        return tiles

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
