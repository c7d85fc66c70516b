"""{% public_nav %}: the public pages (stations, opinion tracking, published suggestions, open case votes) link to
one another, each app offering its own through a `public_links` AppConfig hook, as `home_tiles` does for users."""

from django import template
from django.apps import apps

register = template.Library()


def public_links() -> list[tuple[str, str]]:
    links = []
    for config in apps.get_app_configs():
        hook = getattr(config, "public_links", None)
        if hook is not None:
            links.extend(hook())
    return links


@register.inclusion_tag("congress/_public_nav.html", takes_context=True)
def public_nav(context):
    request = context.get("request")
    return {"links": public_links(), "current": request.path if request is not None else ""}
