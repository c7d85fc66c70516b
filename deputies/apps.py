from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeputiesConfig(AppConfig):
    name = "deputies"
    verbose_name = _("Deputy roster")

    def ready(self):
        from congress import audit

        audit.name_actions({
            "import": _("roster imported"),
            "publish": _("published"),
            "attendance": _("attendance recorded"),
            "group_members_added": _("members added to the group"),
            "group_role_set": _("role in the group changed"),
            "group_member_removed": _("member taken out of the group"),
        })  # fmt: skip
        from auditlog.registry import auditlog

        from . import models, rules, workflow  # noqa: F401 - registers scope rules

        workflow.register()
        from congress import exports

        from . import exporter

        exports.register(models.Mandate, exporter.console_rows)

        for model, options in models.audited_models():
            if not auditlog.contains(model):
                auditlog.register(model, **options)
        _track_deletions(models)

        from django.db.models.signals import post_migrate

        from .sqlite import ensure_triggers

        post_migrate.connect(ensure_triggers, sender=self, dispatch_uid="deputies-sqlite-triggers")
        _seed_points_catalogues(models)

    def public_tiles(self):
        from django.urls import reverse
        from django.utils.translation import gettext as _

        return [
            {"order": 60, "title": _("Your deputies"),
             "text": _("Who represents your district or constituency, at every level."),
             "form": {"action": reverse("deputies:public_roster"), "button": _("Search"),
                      "fields": [("q", _("District, constituency or name"), "search", _("e.g. 天河区"))]},
             "url": reverse("deputies:public_roster"), "link": _("All deputies")},
        ]  # fmt: skip

    def public_links(self):
        from django.urls import reverse
        from django.utils.translation import gettext as _

        return [(_("Deputies"), reverse("deputies:public_roster"))]

    def home_tiles(self, user):
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from congress import scope
        from congress.tiles import Tile

        from . import selectors

        tiles = []
        if scope.has_role(user, "staff"):
            tiles += [
                Tile(_("Deputy resource directory"), reverse("deputies:directory"), order=100),
                Tile(_("Import a roster"), reverse("deputies:imports"), order=101),
                Tile(_("Contact duty coverage"), reverse("deputies:contacts"), order=102),
                Tile(_("Duty points"), reverse("deputies:points"), order=103),
                Tile(_("Deputy groups"), reverse("deputies:groups"), order=104),
            ]
        contacts = selectors.assigned_deputies(user).count()
        if contacts:
            tiles.append(Tile(_("My assigned deputies"), reverse("deputies:my_contacts"), count=contacts, order=20))
        if getattr(user, "person", None) is not None:
            tiles.append(Tile(_("My duty record"), reverse("deputies:my_record"), order=40))
        return tiles


def _seed_points_catalogues(models) -> None:
    """A new congress gets its own points catalogue; a new duty item joins every congress's catalogue."""
    from django.db.models.signals import post_save

    from congress.models import Congress

    def new_congress(sender, instance, created, raw=False, **kwargs):
        if created and not raw:
            from .services import seed_points_catalogue

            seed_points_catalogue(instance)

    def new_kind(sender, instance, created, raw=False, **kwargs):
        if created and not raw:
            models.PointsItem.objects.bulk_create(
                [
                    models.PointsItem(congress=congress, kind=instance, points=instance.points, cap=instance.cap)
                    for congress in Congress.objects.all()
                ],
                ignore_conflicts=True,
            )

    post_save.connect(new_congress, sender=Congress, dispatch_uid="deputies-points-catalogue", weak=False)
    post_save.connect(new_kind, sender=models.DutyKind, dispatch_uid="deputies-points-kind", weak=False)


def _track_deletions(models) -> None:
    from congress import tombstones

    def by_mandate(row):
        return row.mandate.region_code

    def lowest_region(person):
        # The deepest region of any of the person's seats: every client above it can follow the deletion.
        codes = person.mandates.values_list("region_code", flat=True)
        return max(codes, key=len, default="")

    tombstones.track(models.Person, "deputies", "deputies", lowest_region)
    tombstones.track(models.Mandate, "mandates", "deputies", lambda row: row.region_code)
    tombstones.track(models.ContactAssignment, "contact-assignments", "deputies", by_mandate)
    tombstones.track(
        models.ContactRecord, "contact-records", "deputies", lambda row: row.assignment.mandate.region_code
    )
    tombstones.track(models.DutyEntry, "duty-entries", "deputies", by_mandate)
