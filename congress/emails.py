"""E-mail of notifications: a Chinese HTML message with a plain-text part, from the templates under
templates/email/ (one base layout; the notification's link as a button, and in full for clients that show no
HTML). Text that users wrote (titles name suggestions, bodies quote them) is escaped by the templates, never
marked safe. Sent by notifications' email channel, which the outbox runs after the change commits."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def absolute(link: str) -> str:
    """The link as an address a mail client can open: the site's own paths are put under SITE_URL."""
    base = (settings.SITE_URL or "").rstrip("/")
    if link.startswith("/") and not link.startswith("//") and base:
        return base + link
    return link


def notification_message(notification, address: str) -> EmailMultiAlternatives:
    """The e-mail for one notification to one address, in the site's default language (Chinese): the
    recipient's browser language is not known to a worker."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "title": notification.title,
            "body": notification.body,
            "link": absolute(notification.link),
            "site_name": str(settings.SITE_NAME),
            "language": settings.LANGUAGE_CODE,
        }
        text = render_to_string("email/notification.txt", context)
        html = render_to_string("email/notification.html", context)
    message = EmailMultiAlternatives(notification.title, text, None, [address])
    message.attach_alternative(html, "text/html")
    return message
