"""Import 10,000 noteworthy items from an XLSX file through the spreadsheet resource.

Run: .venv/bin/python bench/import_noteworthy_xlsx.py [rows] [--memory]
(--memory traces Python allocations, which slows the run several times over)
"""

import datetime
import sys
import time
import tracemalloc

import _scratch

_scratch.setup()

import tablib  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402

from apps.briefings.models import Issue, NoteworthyItem  # noqa: E402
from apps.briefings.resources import NoteworthyItemResource  # noqa: E402

ROWS = next((int(arg) for arg in sys.argv[1:] if arg.isdigit()), 10_000)
PER_ISSUE = 500

call_command("loaddata", "seed", verbosity=0)
editor = User.objects.create_superuser("bench", password="x")
issues = [
    Issue.objects.create(
        title=f"Bench issue {n}", slug=f"bench-{n}", publication_date=datetime.date(2024, 1, 1)
    )
    for n in range(ROWS // PER_ISSUE + 1)
]
headers = ["issue", "section", "position", "date", "text", "sources", "agencies"]
dataset = tablib.Dataset(headers=headers)
for n in range(ROWS):
    dataset.append([
        issues[n // PER_ISSUE].slug,
        "Policy news" if n % 2 else "Corporate news",
        n % PER_ISSUE + 1,
        datetime.date(2023, 1, 1) + datetime.timedelta(days=n % 365),
        f"Item {n}: MIIT releases a notice on industrial data security, number {n}",
        "MIIT notice (CN); Reuters article (EN)",
        "MIIT; NDRC",
    ])  # fmt: skip
xlsx = dataset.export("xlsx")
print(f"{ROWS} rows, XLSX file of {len(xlsx) / 1024:.0f} KB")

loaded = tablib.Dataset().load(xlsx, format="xlsx")
for label, dry_run in [("dry run (preview)", True), ("import", False)]:
    if "--memory" in sys.argv:
        tracemalloc.start()
    start = time.perf_counter()
    result = NoteworthyItemResource().import_data(loaded, dry_run=dry_run, user=editor)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024 if tracemalloc.is_tracing() else 0
    tracemalloc.stop()
    assert not result.has_errors() and not result.has_validation_errors()
    print(
        f"{label:18} {seconds:6.1f} s  {ROWS / seconds:7.0f} rows/s  "
        f"peak traced memory {peak:5.0f} MB  totals {dict(result.totals)}"
    )
print(f"items in the database: {NoteworthyItem.objects.count()}")
