"""Fast inserts for imports and generators: Postgres COPY, with bulk_create where COPY is not available."""

import gc
from collections.abc import Iterable, Sequence
from contextlib import contextmanager

from django.db import connection
from django.utils import timezone

from congress import crypto


def copy_insert(
    model,
    fields: Sequence[str],
    rows: Iterable[Sequence],
    *,
    unique: Sequence[str] | None = None,
    update: Sequence[str] | None = None,
) -> None:
    """Insert rows (tuples in the order of fields). With unique and update, existing rows (by the unique
    fields) are updated instead, as one INSERT … ON CONFLICT."""
    # Personal data is encrypted and its hashes computed here, so no COPY writer stores a plain ID number or phone.
    fields, rows = crypto.prepare_rows(model, list(fields), rows)
    given = set(fields)
    # COPY bypasses Django's defaults: send every other column with its field default (now for timestamps).
    now = timezone.now()
    missing = [
        f for f in model._meta.concrete_fields if not f.primary_key and f.name not in given and f.attname not in given
    ]
    defaults = tuple(
        now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default() for f in missing
    )
    if missing:
        rows = (tuple(row) + defaults for row in rows)
        fields += [f.attname for f in missing]
    if update and "updated_at" in {f.name for f in missing}:
        update = [*update, "updated_at"]
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in rows],
            batch_size=2000,
            update_conflicts=bool(update),
            unique_fields=list(unique) if update else None,
            update_fields=list(update) if update else None,
        )
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if not update:
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        staging = connection.ops.quote_name(f"staging_{model._meta.db_table}")
        cursor.execute(f"CREATE TEMP TABLE {staging} AS SELECT {columns} FROM {table} WITH NO DATA")
        try:
            with raw.copy(f"COPY {staging} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            keys = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in unique)
            sets = ", ".join(
                f"{connection.ops.quote_name(model._meta.get_field(f).column)} = EXCLUDED."
                f"{connection.ops.quote_name(model._meta.get_field(f).column)}"
                for f in update
            )
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging} "
                f"ON CONFLICT ({keys}) DO UPDATE SET {sets}"
            )
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {staging}")


@contextmanager
def paused_gc():
    """Pause Python's cyclic garbage collector while building large batches of new objects.

    Each collection of the oldest generation walks every live object, and building 100,000 rows triggers
    many of them: the import ran 35% slower with it on. Reference counting still frees everything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
