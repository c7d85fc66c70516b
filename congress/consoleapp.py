"""Django's admin app with our console site (sidebar by work area, dashboard) as the default site.

Its own module: congress/apps.py must hold a single AppConfig, and congress/console.py imports models."""

from django.contrib.admin.apps import AdminConfig


class ConsoleAdminConfig(AdminConfig):
    default_site = "congress.console.ConsoleSite"
