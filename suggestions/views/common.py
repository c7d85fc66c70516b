"""What the pages of suggestions share: paging, the filters kept across pages, and the safe return address."""

from django.core.paginator import Paginator
from django.utils.http import url_has_allowed_host_and_scheme

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows per page of every list; the benchmarks set it to measure other page sizes.
PAGE_SIZE = 50


def page_of(request, queryset, size: int | None = None):
    return Paginator(queryset, size or PAGE_SIZE).get_page(request.GET.get("page"))


def query_of(request) -> str:
    """The current filters, without the page number, for pager and export links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def next_url(request, default: str) -> str:
    """Where to go after a posted action: the page's own `next`, when it is on this site, else default."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default
