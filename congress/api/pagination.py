from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination, CursorPagination, PageNumberPagination
from rest_framework.pagination import Cursor as Position

from .. import replica


class PageNumbers(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class Cursor(CursorPagination):
    """Newest id first. A view whose rows are visible through another table's rows (a deputy through their
    mandates) names, in `cursor_keys()`, querysets and columns holding its ids (see `scope.key_sources`): each
    page then reads its ids from those columns' indexes, one range below the cursor, and the view's queryset
    only for those ids, instead of a semi-join over every visible row of the other table per page."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 500
    by_keys = False

    def paginate_queryset(self, queryset, request, view=None):
        keys = getattr(view, "cursor_keys", None)
        if keys is None:
            return super().paginate_queryset(queryset, request, view)
        self.by_keys = True
        self.request = request
        self.page_size = self.get_page_size(request)
        if not self.page_size:
            return None
        self.base_url = request.build_absolute_uri()
        self.cursor = self.decode_cursor(request)
        reverse = bool(self.cursor and self.cursor.reverse)
        position = None
        if self.cursor and self.cursor.position is not None:
            try:
                position = int(self.cursor.position)
            except ValueError:
                raise NotFound(self.invalid_cursor_message) from None
        # Ids in walking order (below the position, highest first; above it when going back, lowest first).
        wanted, found = self.page_size + 1, set()
        for source, column in keys():
            if position is not None:
                source = source.filter(**{f"{column}__{'gt' if reverse else 'lt'}": position})
            order = column if reverse else f"-{column}"
            found.update(source.order_by(order).values_list(column, flat=True).distinct()[:wanted])
        walked = sorted(found, reverse=not reverse)[:wanted]
        more, walked = len(walked) > self.page_size, walked[: self.page_size]
        # A key may name a row the list no longer shows (changed, filtered, out of scope): the page is shorter,
        # and the next one still starts after the last key walked, so nothing is skipped or read twice.
        rows = {row.pk: row for row in queryset.filter(pk__in=walked)}
        self.page = [rows[pk] for pk in sorted(walked, reverse=True) if pk in rows]
        first, last = (max(walked), min(walked)) if walked else (position, position)
        if reverse:
            self.has_next, self.next_position = position is not None, last
            self.has_previous, self.previous_position = more, first
        else:
            self.has_next, self.next_position = more, last
            self.has_previous, self.previous_position = position is not None, first
        self.display_page_controls = self.has_next or self.has_previous
        return self.page

    def get_next_link(self):
        if not self.by_keys:
            return super().get_next_link()
        if not self.has_next:
            return None
        return self.encode_cursor(Position(offset=0, reverse=False, position=str(self.next_position)))

    def get_previous_link(self):
        if not self.by_keys:
            return super().get_previous_link()
        if not self.has_previous:
            return None
        return self.encode_cursor(Position(offset=0, reverse=True, position=str(self.previous_position)))


class PageOrCursorPagination(BasePagination):
    """Page numbers by default; `?cursor=` (empty to start) switches to a stable cursor for syncing."""

    def __init__(self):
        self.pages, self.cursor = PageNumbers(), Cursor()
        self.active = self.pages

    def paginate_queryset(self, queryset, request, view=None):
        self.active = self.cursor if "cursor" in request.query_params else self.pages
        return self.active.paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        return self.active.get_paginated_response(data)

    def get_results(self, data):
        # The browsable API reads a page's rows through this.
        return self.active.get_results(data)

    def get_paginated_response_schema(self, schema):
        paged = self.pages.get_paginated_response_schema(schema)
        paged["properties"]["count"]["description"] = "Absent in cursor mode."
        paged["required"] = [name for name in paged.get("required", []) if name != "count"]
        return paged

    def get_schema_operation_parameters(self, view):
        params = self.pages.get_schema_operation_parameters(view)
        names = {p["name"] for p in params}
        return params + [p for p in self.cursor.get_schema_operation_parameters(view) if p["name"] not in names]

    def to_html(self):
        return self.active.to_html()

    @property
    def display_page_controls(self):
        return getattr(self.active, "display_page_controls", False)


class SyncReadsOnReplica:
    """List views that integrations walk whole with `?cursor=` (a roster or suggestion sync): those pages read on
    the read replica, when there is one (congress.replica); a numbered page stays on the primary."""

    def list(self, request, *args, **kwargs):
        if "cursor" not in request.query_params:
            return super().list(request, *args, **kwargs)
        with replica.reads():
            return super().list(request, *args, **kwargs)
