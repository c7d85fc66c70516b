from rest_framework.pagination import CursorPagination, PageNumberPagination


class PageNumbers(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class Cursor(CursorPagination):
    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 500


class PageOrCursorPagination:
    """Page numbers by default; `?cursor=` (empty to start) switches to a stable cursor for syncing."""

    def __init__(self):
        self.pages, self.cursor = PageNumbers(), Cursor()
        self.active = self.pages

    def paginate_queryset(self, queryset, request, view=None):
        self.active = self.cursor if "cursor" in request.query_params else self.pages
        return self.active.paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        return self.active.get_paginated_response(data)

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
