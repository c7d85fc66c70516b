"""What the case-selection pages share: pagination, and the objects a request may see, found or 404."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404

from congress import scope, uploads

from ..models import Campaign, Round, Submission


def paginate(request, queryset, size=50):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def visible_campaign(request, pk, action=None) -> Campaign:
    campaign = get_object_or_404(scope.visible(request.user, Campaign).select_related("congress"), pk=pk)
    if action and not scope.can(request.user, action, campaign):
        raise PermissionDenied
    return campaign


def visible_round(request, pk, action=None) -> Round:
    round_ = get_object_or_404(scope.visible(request.user, Round).select_related("campaign__congress"), pk=pk)
    if action and not scope.can(request.user, action, round_):
        raise PermissionDenied
    return round_


def visible_submission(request, pk) -> Submission:
    return get_object_or_404(
        scope.visible(request.user, Submission).select_related("campaign__congress", "unit", "station", "suggestion"),
        pk=pk,
    )


def file_response(item):
    return uploads.serve(item.file, content_type=item.content_type, filename=f"case-file-{item.pk}")
