"""Writing many new rows at once: `insert(objects)`.

On PostgreSQL the rows are streamed with `COPY … FROM STDIN`, their ids taken from the
table's sequence first, so the objects get their primary keys as with `bulk_create` and
related rows can point at them; this skips building and parsing an `INSERT` with a
parameter per value, which costs more than the writing itself for tens of thousands of
rows. Elsewhere it is `bulk_create`. For derived and synthetic rows only: no signals, no
`save()`, as with `bulk_create`.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections


def insert(objects: list, *, batch_size: int = 2000) -> list:
    """Save these new objects of one model and give them their ids; returns them."""
    if not objects:
        return objects
    model = type(objects[0])
    # The connection itself, not `django.db.connection`, which looks it up again (a
    # thread-local) for every value prepared below.
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objects, batch_size=batch_size)
    opts = model._meta
    pk = opts.pk
    fields = [f for f in opts.concrete_fields if not getattr(f, "generated", False)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(opts.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, pk.column, len(objects)],
        )
        for obj, (new_id,) in zip(objects, cursor.fetchall(), strict=True):
            setattr(obj, pk.attname, new_id)
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row(
                    [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                )
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objects
