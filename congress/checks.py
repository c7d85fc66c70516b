"""Start-up checks for settings that would open a hole on a live site."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string


@register()
def sms_backend_delivers(app_configs=None, **kwargs):
    """With DEBUG off, an SMS backend that only prints or keeps the text is refused: the public vote would take a
    phone as verified that no code reached, and the console backend writes citizens' numbers to the log. Leave
    SMS_BACKEND unset instead: pages that need a text then say the service is unavailable."""
    if settings.DEBUG or not settings.SMS_BACKEND:
        return []
    try:
        backend = import_string(settings.SMS_BACKEND)
    except ImportError as exc:
        return [Error(f"SMS_BACKEND {settings.SMS_BACKEND!r} cannot be imported: {exc}", id="congress.E002")]
    if getattr(backend, "delivers", True):
        return []
    return [
        Error(
            f"SMS_BACKEND {settings.SMS_BACKEND!r} delivers no text message and is for development only.",
            hint="With DEBUG off, set SMS_BACKEND to a provider's backend, or leave it unset (no SMS: the public "
            "vote stays closed).",
            id="congress.E001",
        )
    ]


@register()
def sms_provider_configured(app_configs=None, **kwargs):
    """A provider's adapter needs its keys and a template for every kind of text the code sends: a kind without
    one would be refused by the provider at the first send, long after start-up."""
    if not settings.SMS_BACKEND:
        return []
    try:
        backend = import_string(settings.SMS_BACKEND)
    except ImportError:
        return []  # reported by sms_backend_delivers
    if not getattr(backend, "templated", False):
        return []
    from .sms import kinds

    errors = [
        Error(f"SMS_BACKEND {settings.SMS_BACKEND!r} needs {name}.", id="congress.E003")
        for name in getattr(backend, "required_settings", ())
        if not getattr(settings, name, "")
    ]
    errors += [
        Error(f"SMS_TEMPLATES: {problem}.", hint="See congress/sms/kinds.py and the README.", id="congress.E004")
        for problem in kinds.problems()
    ]
    return errors


@register()
def messaging_robots_configured(app_configs=None, **kwargs):
    """Every robot of MESSAGING_ROBOTS has a known kind, an address and the options its adapter takes."""
    from . import messaging

    return [Error(problem, id="congress.E005") for problem in messaging.problems()]
