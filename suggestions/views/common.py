"""What the pages of suggestions share: paging, the filters kept across pages, and the safe return address."""

from django.core.paginator import Paginator
from django.utils.http import url_has_allowed_host_and_scheme

from congress.paging import LargeListPaginator
from congress.params import as_identifier

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows per page of every list; the benchmarks set it to measure other page sizes.
PAGE_SIZE = 50


def page_of(request, queryset, size: int | None = None, *, estimate: bool = False, by_id: bool = False):
    """A page of the list; estimate=True for a list that may hold millions (its count estimated above a threshold,
    congress.paging), on a page whose template says so; by_id=True for such a list ordered newest id first,
    whose pages beyond the count are then read by id (?after=, ?before=)."""
    if not estimate:
        return Paginator(queryset, size or PAGE_SIZE).get_page(request.GET.get("page"))
    paginator = LargeListPaginator(queryset, size or PAGE_SIZE, by_id=by_id)
    after, before = (as_identifier(request.GET.get(name)) for name in ("after", "before"))
    if by_id and (after or before):
        if after:
            return paginator.keyset_page(after=after)
        return paginator.keyset_page(before=before)
    return paginator.get_page(request.GET.get("page"))


def query_of(request) -> str:
    """The current filters, without the page number, for pager and export links."""
    params = request.GET.copy()
    for name in ("page", "after", "before"):
        params.pop(name, None)
    return params.urlencode()


def next_url(request, default: str) -> str:
    """Where to go after a posted action: the page's own `next`, when it is on this site, else default."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default
