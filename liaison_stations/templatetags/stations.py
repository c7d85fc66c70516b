from django import template

register = template.Library()


@register.filter
def stars(count) -> str:
    """★★★☆☆ for 3 of 5; empty for an unrated station."""
    count = int(count or 0)
    return "★" * count + "☆" * (5 - count) if count else ""
