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
