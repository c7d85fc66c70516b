"""Streaming exports for bulk sync: every row a list endpoint shows, in one response, NDJSON (default) or CSV.

A provincial mirror that pages through 100,000 deputies 500 at a time pays a request, a scope check and a page
query for every page. An export reads the same scoped, filtered queryset once, through a server-side cursor
(`QuerySet.iterator(chunk_size=…)`, a named cursor on Postgres), serializes it chunk by chunk with the list's own
serializer (so its fields, formats and masking rules are the list's) and writes each chunk as it is ready: the
server holds one chunk, never the whole list.

Before the rows are read, the response names where to follow the changes from afterwards: `X-Sync-Updated-Since`
for the lists' `updated_since` and `X-Sync-Changes-After` for the changes feed's `after`. Both are taken before the
export's query starts, so whatever changes after them is either in the export or found by the follow-up (a row
may come twice, which an idempotent upsert absorbs; none is missed)."""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta

import orjson
from django.db.models import Max, QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from .. import personal_data
from ..models import Tombstone

NDJSON = "application/x-ndjson"
CSV = "text/csv"
# Rows per database fetch and per written block: large enough that per-chunk queries (prefetches, the access
# record) cost little per row, small enough that a chunk's objects stay a few megabytes.
CHUNK = 2000
# A writer stamps `updated_at` before its transaction commits; one still open when the export's position is taken
# commits rows stamped earlier than the position. Following from a little before the position finds them.
OVERLAP = timedelta(minutes=5)
UPDATED_SINCE_HEADER = "X-Sync-Updated-Since"
CHANGES_AFTER_HEADER = "X-Sync-Changes-After"


class NDJSONRenderer(BaseRenderer):
    """Chooses NDJSON in content negotiation (`Accept: application/x-ndjson`, `?format=ndjson`); the rows are
    written by `stream`, so this renders only an error's body (as JSON)."""

    media_type = NDJSON
    format = "ndjson"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data, accepted_media_type, renderer_context)


class CSVRenderer(NDJSONRenderer):
    """Chooses CSV in content negotiation (`Accept: text/csv`, `?format=csv`)."""

    media_type = CSV
    format = "csv"
    charset = "utf-8"


RENDERERS = [NDJSONRenderer, CSVRenderer]


def _fallback(value):
    # What DRF's JSON renderer does with values orjson does not know (lazy translations, decimals).
    return JSONEncoder().default(value)


def _ndjson(rows: list[dict]) -> bytes:
    return b"".join(orjson.dumps(row, default=_fallback) + b"\n" for row in rows)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return orjson.dumps(value, default=_fallback).decode()
    return value


def _csv_writer(columns: list[str]) -> Callable[[list[dict]], bytes]:
    def write(rows: list[dict]) -> bytes:
        buffer = io.StringIO()
        out = csv.writer(buffer)
        out.writerows([_cell(row.get(column)) for column in columns] for row in rows)
        return buffer.getvalue().encode()

    return write


def position() -> dict[str, str]:
    """Where a mirror follows the changes from once it has read an export that starts now."""
    since = timezone.now() - OVERLAP
    after = Tombstone.objects.aggregate(last=Max("id"))["last"] or 0
    return {UPDATED_SINCE_HEADER: since.isoformat(), CHANGES_AFTER_HEADER: str(after)}


def chunks(queryset: QuerySet, size: int | None = None) -> Iterator[list]:
    """The queryset's rows, `size` (CHUNK) at a time, from a server-side cursor (prefetches run once per chunk)."""
    size = size or CHUNK
    chunk = []
    for row in queryset.iterator(chunk_size=size):
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def stream(
    request,
    *,
    rows: Iterable[list],
    serialize: Callable[[list], list[dict]],
    columns: list[str],
    filename: str,
) -> StreamingHttpResponse:
    """The response of an export: `rows` (chunks of objects, read lazily) through `serialize` (a chunk to the
    list's dicts), as NDJSON or, when the request negotiated CSV, as CSV with `columns` as its header. Unmasked
    personal data shown in a chunk is recorded (congress.personal_data) before the chunk is sent."""
    as_csv = getattr(request, "accepted_renderer", None) is not None and request.accepted_renderer.format == "csv"
    encode = _csv_writer(columns) if as_csv else _ndjson
    where = position()

    def body() -> Iterator[bytes]:
        if as_csv:
            header = io.StringIO()
            csv.writer(header).writerow(columns)
            yield header.getvalue().encode()
        for chunk in rows:
            with personal_data.gathered():
                block = encode(serialize(chunk))
            yield block

    response = StreamingHttpResponse(body(), content_type=f"{CSV}; charset=utf-8" if as_csv else NDJSON)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{"csv" if as_csv else "ndjson"}"'
    response["Cache-Control"] = "no-store"
    for name, value in where.items():
        response[name] = value
    return response


class ExportMixin:
    """For a viewset with an `export` action: the action's error answers are JSON like every other API error,
    whichever format the request asked for."""

    def finalize_response(self, request, response, *args, **kwargs):
        # A request whose format no renderer offers (`?format=xyz`) fails negotiation before any renderer is
        # chosen; DRF would then force the action's first renderer, NDJSON, onto the JSON error.
        renderer = getattr(request, "accepted_renderer", None)
        if getattr(response, "exception", False) and (renderer is None or isinstance(renderer, tuple(RENDERERS))):
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    def stream_export(self, request, *, queryset, serializer, filename: str, prepare=None) -> StreamingHttpResponse:
        """Stream every row of the (scoped, filtered) queryset through one instance of the list's serializer;
        `prepare(chunk)` gives a chunk what the list attaches to a page before serializing it."""
        columns = [name for name, field in serializer.fields.items() if not field.write_only]

        def serialize(chunk):
            if prepare is not None:
                prepare(chunk)
            return [serializer.to_representation(row) for row in chunk]

        return stream(request, rows=chunks(queryset), serialize=serialize, columns=columns, filename=filename)


def schema(serializer, description: str) -> dict:
    """`extend_schema` arguments of an export: one object per line (the list's item), or CSV."""
    headers = [
        OpenApiParameter(UPDATED_SINCE_HEADER, OpenApiTypes.DATETIME, OpenApiParameter.HEADER, response=True,
                         description="Follow the list with `updated_since` from this time after the export."),
        OpenApiParameter(CHANGES_AFTER_HEADER, OpenApiTypes.INT, OpenApiParameter.HEADER, response=True,
                         description="Follow the changes feed with `after` from this id after the export."),
    ]  # fmt: skip
    return {
        "description": description,
        "filters": True,  # the list's filters, though the action is no list
        "parameters": [
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=["ndjson", "csv"],
                description="`ndjson` (default: one JSON object per line) or `csv`; or send `Accept`.",
            ),  # fmt: skip
            *headers,
        ],
        "responses": {
            (200, NDJSON): OpenApiResponse(serializer, description="One row per line, as the list shows it."),
            (200, CSV): OpenApiResponse(
                OpenApiTypes.STR, description="A header line, then one row per line; nested values as JSON text."
            ),  # fmt: skip
        },
    }
