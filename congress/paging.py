"""Paging for lists that may hold millions of rows (issue 25).

Counting what a reader may see costs a read of every visible row: a province's staff see a million suggestions,
and a `COUNT(*)` over them takes longer than the page. Up to `EXACT_UP_TO` rows the count stays exact (a count
bounded by a LIMIT reads at most that many index entries); above it the list shows the planner's estimate of the
same query ("about 1,000,000"), and whether a next page exists is known from one row fetched beyond the page, not
from the count."""

import json

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import NotSupportedError, connections
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext

# Above this many rows a list's count is the planner's estimate. 10,000 index entries take a few milliseconds.
EXACT_UP_TO = 10_000


def planner_estimate(queryset) -> int | None:
    """The planner's estimate of the rows the queryset returns (EXPLAIN without running it); None where the
    database gives none in a form we read (SQLite)."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    try:
        plan = queryset.order_by().explain(format="json")
    except NotSupportedError:
        return None
    plan = json.loads(plan)
    # Django passes Postgres's JSON on as text: the list of one plan, or the plan itself when the driver parsed it.
    return int((plan[0] if isinstance(plan, list) else plan)["Plan"]["Plan Rows"])


def bounded_count(queryset, limit: int) -> int:
    """The queryset's row count, read no further than limit + 1 rows: more than limit means "over"."""
    return queryset.order_by().values("pk")[: limit + 1].count()


def count_of(queryset, exact_up_to: int = EXACT_UP_TO) -> tuple[int, bool]:
    """(count, estimated): exact up to exact_up_to rows, the planner's estimate (never below what was seen) above."""
    seen = bounded_count(queryset, exact_up_to)
    if seen <= exact_up_to:
        return seen, False
    estimate = planner_estimate(queryset)
    if estimate is None:
        return queryset.count(), False
    return max(estimate, seen), True


def about(n: int) -> str:
    """An estimated count as people say it: two significant figures, in 万 and 亿 in Chinese ("约 100 万")."""
    digits = len(str(n))
    rounded = round(n, -(digits - 2)) if digits > 2 else n
    if (get_language() or "").startswith("zh"):
        if rounded >= 100_000_000:
            number = f"{rounded / 100_000_000:g} 亿"
        elif rounded >= 10_000:
            number = f"{rounded / 10_000:g} 万"
        else:
            number = str(rounded)
    else:
        number = f"{rounded:,}"
    return gettext("about %(number)s") % {"number": number}


class LargeListPage(Page):
    """A page that may know its next page from its rows (`more`), and, on a list ordered newest id first, links
    its neighbours by id (`next_after`, `previous_before`) once the list is too long to count."""

    keyset = False  # reached by ?after= or ?before=, not by number

    def __init__(self, object_list, number, paginator, more: bool | None = None, newer: bool | None = None):
        super().__init__(object_list, number, paginator)
        self.more, self.newer = more, newer

    def has_next(self):
        return super().has_next() if self.more is None else self.more

    def has_previous(self):
        return super().has_previous() if self.newer is None else self.newer

    def _by_id(self) -> bool:
        return bool(self.object_list) and (self.keyset or (self.paginator.by_id and self.paginator.estimated))

    @property
    def next_after(self):
        return self.object_list[-1].pk if self._by_id() and self.has_next() else None

    @property
    def previous_before(self):
        return self.object_list[0].pk if self._by_id() and self.has_previous() else None


class LargeListPaginator(Paginator):
    """A paginator whose count is exact up to `exact_up_to` rows and the planner's estimate above (`estimated`)."""

    exact_up_to = EXACT_UP_TO
    _estimated = False

    def __init__(self, object_list, per_page, *, by_id: bool = False, **kwargs):
        # by_id: the list is ordered newest id first, so its pages can be read by id range (keyset_page).
        super().__init__(object_list, per_page, **kwargs)
        self.by_id = by_id

    @cached_property
    def count(self):
        if not hasattr(self.object_list, "query") or self.object_list.query.is_sliced:
            return super().count
        count, self._estimated = count_of(self.object_list, self.exact_up_to)
        return count

    @property
    def estimated(self) -> bool:
        """Whether count is the planner's estimate (counting first if not yet done)."""
        return self.count is not None and self._estimated

    @property
    def count_label(self) -> str:
        return about(self.count) if self.estimated else f"{self.count}"

    def validate_number(self, number):
        try:
            return super().validate_number(number)
        except EmptyPage:
            # Past the estimated last page there may still be rows: the page itself tells.
            if self.estimated and int(float(number)) > 1:
                return int(float(number))
            raise

    def keyset_page(self, *, after: int | None = None, before: int | None = None) -> LargeListPage:
        """The rows just older than `after` or just newer than `before`: one index range however deep the page
        (an OFFSET reads every row it skips)."""
        if after is not None:
            rows = list(self.object_list.filter(pk__lt=after)[: self.per_page + 1])
            more, newer = len(rows) > self.per_page, True
            rows = rows[: self.per_page]
        else:
            rows = list(self.object_list.filter(pk__gt=before).reverse()[: self.per_page + 1])
            more, newer = True, len(rows) > self.per_page
            rows = rows[: self.per_page][::-1]
        page = LargeListPage(rows, None, self, more=more and bool(rows), newer=newer and bool(rows))
        page.keyset = True
        return page

    def page(self, number):
        number = self.validate_number(number)
        if not self.estimated:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return LargeListPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)

    def get_page(self, number):
        try:
            return super().get_page(number)
        except (EmptyPage, PageNotAnInteger):
            # Beyond the rows of an estimated list: its first page, as Django's would show its last.
            return self.page(1)


def column_statistics(table: str, column: str, target: int):
    """A migration operation: Postgres samples `target` most common values of the column (default 100).

    The lists filter by a region-code prefix; with the default, a township's code is not among the common values
    and the planner guesses its rows from a histogram (638 for 85 on the bench), reads the whole table backwards
    by id for a page of a township, and estimates a province's count loosely. With a target above the number of
    congresses whose codes the column holds, every code's share is known. SQLite keeps no such statistics."""
    from django.db import migrations

    def set_target(value):
        def run(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" SET STATISTICS {value}')

        return run

    return migrations.RunPython(set_target(target), set_target(-1))


# Enough for the congresses of a large province (Shaanxi on the bench has 1,722): see column_statistics.
REGION_CODE_STATISTICS = 2000
