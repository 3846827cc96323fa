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

from django.db import connections, router

# Values no real call gives, to find each parameter's place in the compiled query.
STAND_INS = {
    str: "\x01stand-in\x01",
    datetime.datetime: datetime.datetime(1901, 2, 3, 4, 5, 6, 70809, tzinfo=datetime.UTC),
}


class Prepared:
    """`Prepared(build, slug=Issue._meta.get_field("slug"), now=…)`: `build(slug=…, now=…)`
    returns the queryset; calling the `Prepared` with the same names returns its model
    instances (a list), as `build` with those values would."""

    def __init__(self, build, **fields):
        self.build = build
        self.fields = fields  # name -> the model field the value is compared with
        self._compiled = {}  # database alias -> (model, sql, params, {position: name})

    def _compile(self, alias):
        connection = connections[alias]
        stand_ins = {name: STAND_INS[_kind(field)] for name, field in self.fields.items()}
        queryset = self.build(**stand_ins)
        sql, params = queryset.query.get_compiler(alias).as_sql()
        places = {}
        for name, field in self.fields.items():
            prepared = field.get_db_prep_value(stand_ins[name], connection)
            found = [n for n, param in enumerate(params) if param == prepared]
            if not found:
                raise ValueError(f"The stand-in for {name!r} is not among the parameters.")
            places.update(dict.fromkeys(found, name))
        # Raw rows bring annotations as the database gives them: converted here as the ORM
        # would (e.g. JSON decoded).
        converters = {
            name: annotation.output_field.from_db_value
            for name, annotation in queryset.query.annotations.items()
            if hasattr(annotation.output_field, "from_db_value")
        }
        return queryset.model, sql, list(params), places, converters

    def __call__(self, **values):
        model = next(iter(self.fields.values())).model
        alias = router.db_for_read(model)
        if alias not in self._compiled:
            self._compiled[alias] = self._compile(alias)
        model, sql, params, places, converters = self._compiled[alias]
        connection = connections[alias]
        params = list(params)  # the compiled list is shared by every thread
        for position, name in places.items():
            params[position] = self.fields[name].get_db_prep_value(values[name], connection)
        found = list(model.objects.using(alias).raw(sql, params))
        for instance in found:
            for name, convert in converters.items():
                setattr(instance, name, convert(getattr(instance, name), None, connection))
        return found


def _kind(field):
    if field.get_internal_type() == "DateTimeField":
        return datetime.datetime
    return str
