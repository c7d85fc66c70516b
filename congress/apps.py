from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = _("Congress structure and settings")

    def ready(self):
        from . import audit, checks, exports, rules  # noqa: F401 - scope rules, start-up checks, the export job

        audit.register_models()
        from . import refcache, replica

        refcache.connect()
        replica.connect_signals()
        from . import tombstones
        from .api import schema  # noqa: F401 - registers its OpenAPI extensions
        from .models import Organisation, PolicyValue, Session, Term

        def by_congress(row):
            return row.congress.region.code

        tombstones.track(
            Organisation, "organisations", "reference", lambda row: row.region.code if row.region_id else ""
        )
        tombstones.track(Term, "terms", "reference", by_congress)
        # Removing an override brings the default back: a mirror must drop its copy.
        tombstones.track(PolicyValue, "policies", "reference", by_congress)
        tombstones.track(Session, "sessions", "reference", lambda row: row.term.congress.region.code)
        audit.name_actions({"rename_topic": _("topic renamed"), "merge_topic": _("topic merged")})

    def dashboard_panels(self, view):
        from . import topics

        return topics.panels(view)
