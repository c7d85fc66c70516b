from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonStationsConfig(AppConfig):
    name = "liaison_stations"
    verbose_name = _("Liaison stations")

    def ready(self):
        from congress import audit

        audit.name_actions({
            "evaluate": _("evaluated"),
            "honour": _("honour recorded"),
            "plan": _("reception day planned"),
            "station_deputies": _("deputies stationed"),
            "export_opinion_ledger": _("opinion ledger exported"),
            "station_ledger_written": _("station ledger written"),
        })  # fmt: skip
        from auditlog.registry import auditlog

        from . import models, rules, services, workflow  # noqa: F401 - registers scope rules

        for model, options in models.audited_models():
            if not auditlog.contains(model):
                auditlog.register(model, **options)
        workflow.register()
        from congress import exports

        from . import exporter

        exports.register(models.CitizenOpinion, exporter.console_rows)
        _track_deletions(models)
        from suggestions.signals import status_changed

        status_changed.connect(services.note_suggestion_outcome, dispatch_uid="stations_suggestion_outcome")
        from congress.signals import congress_created

        congress_created.connect(_seed_checklist, dispatch_uid="stations_seed_checklist")
        from congress import topics

        # A citizen is told apart by their phone (its hash): the author for the topics' personal data rule.
        topics.register(topics.Source(models.CitizenOpinion, "received_at", author_field="phone_hash",
                                      label="opinions"))  # fmt: skip

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
        ledger = reverse("liaison_stations:ledger")
        manages = user.managed_stations.exists()
        if scope.has_role(user, "staff") or manages:
            tiles.append(Tile(_("Citizen opinions to triage"), f"{ledger}?status=received",
                              count=selectors.ledger(user, {"status": "received"}).count(), order=12))  # fmt: skip
        if manages:
            tiles += [
                Tile(_("Citizen opinions not yet closed"), f"{ledger}?open=on",
                     count=selectors.ledger(user, {"open": True}).count(), order=13),
                Tile(_("Coming reception days"), reverse("liaison_stations:manage") + "#receptions",
                     count=selectors.coming_receptions(user).count(), order=16),
                Tile(_("My stations"), reverse("liaison_stations:manage"), order=35),
            ]  # fmt: skip
        if scope.has_role(user, "staff"):
            tiles += [
                Tile(_("Deputies stationed nowhere"), reverse("liaison_stations:coverage"),
                     count=selectors.unstationed(user).count(), order=15),
                Tile(_("Station network"), reverse("liaison_stations:network"), order=104),
                Tile(_("Station visits against quota"), reverse("liaison_stations:quota"), order=105),
                Tile(_("Citizen opinion ledger"), ledger, order=106),
            ]  # fmt: skip
        if scope.has_role(user, "unit_officer"):
            referrals = reverse("liaison_stations:referrals")
            tiles.append(
                Tile(_("Citizen opinions to reply to"), f"{referrals}?owing=1",
                     count=selectors.referrals(user, owing=True).count(),
                     overdue=selectors.referrals(user, overdue=True).count(), overdue_url=f"{referrals}?overdue=1",
                     order=11)
            )  # fmt: skip
        if getattr(user, "person", None) is not None:
            tiles += [
                Tile(_("Record a station visit"), reverse("liaison_stations:check_in_portal"), order=16),
                Tile(_("My stations and visits"), reverse("liaison_stations:mine"), order=32),
            ]
            # Reception days a manager recorded the deputy present at: the list on their page.
            waiting = selectors.pending_attendances(selectors.my_mandates(user)).count()
            if waiting:
                tiles.append(Tile(_("Reception days to confirm"), reverse("liaison_stations:mine") + "#attendance",
                                  count=waiting, order=14))  # fmt: skip
        return tiles

    def home_deadlines(self, user):
        from . import selectors

        return selectors.manager_deadlines_q(user)

    def public_tiles(self):
        from django.urls import reverse
        from django.utils.translation import gettext as _

        return [
            {"order": 10, "title": _("Find a liaison station"),
             "text": _("Deputies receive citizens at homes, stations and points near you, and online."),
             "form": {"action": reverse("liaison_stations:directory"), "button": _("Search"),
                      "fields": [("q", _("District, street or station name"), "search", _("e.g. 天河 or 五山街道"))]},
             "url": reverse("liaison_stations:directory"), "link": _("All stations on the map")},
            {"order": 20, "title": _("Leave an opinion"),
             "text": _("Choose a station, then write what you want your deputies to know; you get a tracking code."),
             "url": reverse("liaison_stations:directory"), "link": _("Choose a station")},
            {"order": 30, "title": _("Follow your opinion"),
             "form": {"action": reverse("liaison_stations:track"), "button": _("Look up"),
                      "fields": [("code", _("Tracking code"), "text", ""),
                                 ("phone_tail", _("Last four digits of your phone"), "tel", "")]}},
        ]  # fmt: skip

    def public_links(self):
        from django.urls import reverse
        from django.utils.translation import gettext as _

        return [
            (_("Deputy liaison stations"), reverse("liaison_stations:directory")),
            (_("Follow an opinion you left"), reverse("liaison_stations:track")),
        ]


def _track_deletions(models) -> None:
    from congress import tombstones

    def by_station(row):
        return row.station.region_code

    tombstones.track(models.Station, "stations", "stations", lambda row: row.region_code)
    tombstones.track(models.Stationing, "stationings", "stations", by_station)
    tombstones.track(models.Reception, "receptions", "stations", by_station)
    tombstones.track(models.Visit, "visits", "stations", by_station)
    tombstones.track(models.CitizenOpinion, "opinions", "stations", lambda row: row.region_code)
    tombstones.track(models.StarRating, "star-ratings", "stations", by_station)


def _seed_checklist(sender, congress, **kwargs):
    from .services import seed_checklist

    seed_checklist(congress)
