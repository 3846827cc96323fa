"""The spreadsheet formats editors import and export, with formulas defused on export.

A spreadsheet program takes a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return as a formula (CSV injection: `=cmd|' /C calc'!A0` typed as an agency's name would
run when the export is opened). On export such text gets a leading apostrophe, which
spreadsheet programs read as "this is text" (OWASP's advice), in CSV, TSV and XLSX alike;
on import that apostrophe is taken off again, so an export imports back unchanged.
django-import-export's own escaping only drops a leading `=`, and turns empty cells into
the text "None".
"""

import tablib
from django.conf import settings
from django.utils.formats import number_format
from import_export.formats import base_formats

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def restore(value):
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def _mapped(dataset: tablib.Dataset, function) -> tablib.Dataset:
    mapped = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        mapped.append([function(value) for value in row])
    return mapped


class TooManyRows(ValueError):
    pass


class Limited:
    """A file of more than IMPORT_MAX_ROWS rows is refused, as the import page says."""

    def create_dataset(self, *args, **kwargs):
        dataset = super().create_dataset(*args, **kwargs)
        if len(dataset) > settings.IMPORT_MAX_ROWS:
            found, limit = (
                number_format(n, force_grouping=True)
                for n in (len(dataset), settings.IMPORT_MAX_ROWS)
            )
            raise TooManyRows(
                f"The file has {found} rows; an import takes at most {limit}. "
                "Split it into several files."
            )
        return dataset


class Defused(Limited):
    def export_data(self, dataset, **kwargs):
        return super().export_data(_mapped(dataset, defuse), **kwargs)

    def create_dataset(self, *args, **kwargs):
        return _mapped(super().create_dataset(*args, **kwargs), restore)


class CSV(Defused, base_formats.CSV):
    pass


class XLSX(Defused, base_formats.XLSX):
    pass


class TSV(Defused, base_formats.TSV):
    pass


class JSON(Limited, base_formats.JSON):  # data, never opened by a spreadsheet program
    pass


FORMATS = [CSV, XLSX, TSV, JSON]
