"""The console's Export action: the selected rows of any list as .xlsx, written in the background with progress
(congress.jobs), so thousands of rows never hold a request. An app registers the rows of a model where it has an
exporter already (the roster in the import template's columns, the opinion ledger); any other model is written
with the columns its console list shows."""

import io
from collections.abc import Callable, Iterable

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook

from . import audit, jobs, replica, scope
from .models import ConsoleJob

KIND = "export"
# An export this long is written within the request (about three seconds at the roster's ~340 rows a second,
# measured with DEBUG on); a longer one is written in the background, its page showing the progress.
INLINE_ROWS = 1000
# Rows of a model: rows(queryset, user) -> (header, iterable of rows); the queryset is already scoped to user.
RowsWriter = Callable[[models.QuerySet, object], tuple[list[str], Iterable[list]]]
WRITERS: dict[type[models.Model], RowsWriter] = {}


def register(model: type[models.Model], writer: RowsWriter) -> None:
    WRITERS[model] = writer


def start(*, actor, model: type[models.Model], ids: list[int], fields: list[str], related=()) -> ConsoleJob:
    """Export these rows of model (those actor may read, checked again when written) in the background; fields
    are the columns when the model has no writer of its own, related the relations they read."""
    opts = model._meta
    title = _("Export of %(n)s %(records)s") % {"n": len(ids), "records": opts.verbose_name_plural}
    params = {"model": opts.label, "ids": ids, "fields": fields, "related": list(related)}
    with transaction.atomic():
        # Who took which records out of the system, as the ledger and roster exports record it too.
        audit.record(actor, actor, "console_export", model=opts.label, rows=len(ids))
        return jobs.start(actor=actor, kind=KIND, title=title, params=params, total=len(ids))


def start_for(*, actor, queryset, limit: int | None = None) -> ConsoleJob:
    """Export the rows of a page's filtered list in the background, in the model's registered columns."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:limit])
    return start(actor=actor, model=queryset.model, ids=ids, fields=[])


def _write(job: ConsoleJob, step) -> str:
    model = apps.get_model(job.params["model"])
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(capfirst(model._meta.verbose_name_plural))[:31])
    tick = jobs.stepper(step)
    written = 0
    # The rows are read on the replica, if any: the job's progress writes are not read back (congress.jobs).
    with replica.reads():
        queryset = scope.visible(job.created_by, model).filter(pk__in=job.params["ids"]).order_by("pk")
        writer = WRITERS.get(model)
        if writer is None:
            header, rows = field_rows(queryset.select_related(*job.params.get("related", [])), job.params["fields"])
        else:
            header, rows = writer(queryset, job.created_by)
        sheet.append(header)
        for written, row in enumerate(rows, start=1):  # noqa: B007 - the count is read after the loop
            sheet.append(row)
            tick(written)
    buffer = io.BytesIO()
    book.save(buffer)
    name = f"{model._meta.model_name}-{timezone.localdate():%Y%m%d}-{job.pk}.xlsx"
    job.file.save(name, ContentFile(buffer.getvalue()), save=False)
    # Storage may keep the file under a name of its own; the download takes this one.
    ConsoleJob.objects.filter(pk=job.pk).update(file=job.file.name, params={**job.params, "filename": name})
    return ngettext("%(n)s row exported.", "%(n)s rows exported.", written) % {"n": written}


jobs.register(KIND, _write)


# The columns a console list shows, for models without an exporter of their own.


def _field(model, path: str):
    field = None
    for part in path.split("__"):
        field = model._meta.get_field(part)
        model = field.related_model
    return field


def exportable(model, names) -> list[str]:
    """The names among a console list's columns that export as plain columns: fields (and `__str__`)."""
    kept = []
    for name in names:
        if name == "__str__":
            kept.append(name)
            continue
        if not isinstance(name, str):
            continue
        try:
            field = _field(model, name)
        except FieldDoesNotExist:
            continue
        if field.concrete and not field.many_to_many:
            kept.append(name)
    return kept


def _cell(obj, path: str, field):
    if path == "__str__":
        return str(obj)
    value = obj
    for part in path.split("__"):
        value = getattr(value, part, None) if value is not None else None
    if value is None:
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(field, models.DateTimeField):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, int | float | str):
        return value
    return str(value)


def field_rows(queryset, names) -> tuple[list[str], Iterable[list]]:
    model = queryset.model
    names = exportable(model, names)
    fields = {name: None if name == "__str__" else _field(model, name) for name in names}
    header = [
        str(capfirst(model._meta.verbose_name)) if field is None else str(capfirst(field.verbose_name))
        for field in fields.values()
    ]
    related = {
        name.rsplit("__", 1)[0] if not field.is_relation else name
        for name, field in fields.items()
        if field is not None and ("__" in name or field.is_relation)
    }
    queryset = queryset.select_related(*sorted(related)) if related else queryset

    def rows():
        for obj in queryset.iterator(chunk_size=2000):
            yield [_cell(obj, name, field) if field is not None else str(obj) for name, field in fields.items()]

    return header, rows()
