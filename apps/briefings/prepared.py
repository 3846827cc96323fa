"""Queries compiled once per process, for the hottest public pages.

Building and compiling a queryset — filters, annotations, subqueries — costs the ORM more
than the database takes to answer it when the answer is one indexed row. A `Prepared`
query is built by the ORM once per database, with stand-in values for what changes from
call to call (the slug asked for, the time now); each call runs the same SQL with the real
values put where the stand-ins were. The rule stays written once, in the ORM (e.g.
`Issue.objects.published()`), and only its compilation is remembered.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connections, router

# Values no real call gives, to find each parameter's place in the compiled query.
STAND_INS = {
    str: "\x01stand-in\x01",
    datetime.datetime: datetime.datetime(1901, 2, 3, 4, 5, 6, 70809, tzinfo=datetime.UTC),
}


@dataclass(frozen=True)
class _Compiled:
    model: type
    sql: str
    params: list
    places: dict  # parameter position -> the name of the value that goes there
    fields: list  # attribute names of the model's columns, in the order selected
    annotations: dict  # annotation name -> its column
    converters: dict  # column -> ([converter, …], expression), as the ORM converts


class Prepared:
    """`Prepared(build, slug=Issue._meta.get_field("slug"), now=…)`: `build(slug=…, now=…)`
    returns the queryset; calling the `Prepared` with the same names returns its model
    instances (a list), as `build` with those values would: the same columns, values
    converted as the ORM converts them, annotations set as attributes.
    Querysets of one model, without select_related or prefetching."""

    def __init__(self, build, **fields):
        self.build = build
        self.fields = fields  # name -> the model field the value is compared with
        self._compiled = {}  # database alias -> _Compiled

    def _compile(self, alias) -> _Compiled:
        connection = connections[alias]
        stand_ins = {name: STAND_INS[_kind(field)] for name, field in self.fields.items()}
        queryset = self.build(**stand_ins)
        compiler = queryset.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        places = {}
        for name, field in self.fields.items():
            prepared = field.get_db_prep_value(stand_ins[name], connection)
            found = [n for n, param in enumerate(params) if param == prepared]
            if not found:
                raise ValueError(f"The stand-in for {name!r} is not among the parameters.")
            places.update(dict.fromkeys(found, name))
        columns = compiler.klass_info["select_fields"]
        if columns != list(range(len(columns))) or compiler.klass_info.get("related_klass_infos"):
            raise ValueError("A prepared query selects one model's columns first, and no other.")
        return _Compiled(
            model=queryset.model,
            sql=sql,
            params=list(params),
            places=places,
            fields=[compiler.select[n][0].target.attname for n in columns],
            annotations=dict(compiler.annotation_col_map),
            converters=compiler.get_converters([column for column, _, _ in compiler.select]),
        )

    def __call__(self, **values):
        model = next(iter(self.fields.values())).model
        alias = router.db_for_read(model)
        if alias not in self._compiled:
            self._compiled[alias] = self._compile(alias)
        compiled = self._compiled[alias]
        connection = connections[alias]
        params = list(compiled.params)  # the compiled list is shared by every thread
        for position, name in compiled.places.items():
            params[position] = self.fields[name].get_db_prep_value(values[name], connection)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        found, width = [], len(compiled.fields)
        for row in rows:
            row = list(row)
            for position, (converters, expression) in compiled.converters.items():
                for convert in converters:
                    row[position] = convert(row[position], expression, connection)
            instance = compiled.model.from_db(alias, compiled.fields, row[:width])
            for name, position in compiled.annotations.items():
                setattr(instance, name, row[position])
            found.append(instance)
        return found


def _kind(field):
    if field.get_internal_type() == "DateTimeField":
        return datetime.datetime
    return str
