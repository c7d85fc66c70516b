from django.utils import timezone

from . import notifications, scope, workdays


def header(request):
    """Unread count for the page header and, for calendar keepers, the missing-year warning."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    context = {"unread_count": notifications.unread_count(user)}
    if scope.has_role(user, "staff"):
        context["calendar_missing_year"] = workdays.missing_next_year(timezone.localdate())
    return context
