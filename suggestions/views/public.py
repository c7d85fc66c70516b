"""Published suggestions and replies for everyone, without login; personal data was removed at publication."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .. import forms, selectors
from ..models import Suggestion
from .common import page_of, query_of


def public(request):
    """Published suggestions and replies, personal data removed at publication."""
    this_year = timezone.localdate().year
    form = forms.PublicFilterForm(request.GET or None, years=range(this_year, this_year - 10, -1),
                                  **selectors.public_filter_choices())  # fmt: skip
    data = form.cleaned_data if form.is_valid() else {}
    page = page_of(request, selectors.public_list(year=data.get("year"), category=data.get("category") or None,
                                                unit=data.get("unit"), q=data.get("q", "")))  # fmt: skip
    units_of = selectors.public_units(list(page))
    for suggestion in page:
        suggestion.public_units = units_of[suggestion.pk]
    return render(request, "suggestions/public.html", {"form": form, "page": page, "query": query_of(request)})


def public_detail(request, pk):
    suggestion = get_object_or_404(
        Suggestion.objects.filter(published_at__isnull=False).select_related("category", "congress"), pk=pk
    )
    assignments = selectors.public_units([suggestion])[suggestion.pk]
    return render(request, "suggestions/public_detail.html", {"suggestion": suggestion, "assignments": assignments})
