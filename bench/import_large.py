"""A 20 MB agency spreadsheet imported as a background job, while the site serves.

On a scratch PostgreSQL database with the seed archive: a CSV of agencies of about
BENCH_IMPORT_MB megabytes (default 20) is queued as an import job, as the admin's import
page queues it, and run by a worker (`manage.py worker`, a process of its own) while
gunicorn serves the site. Prints and writes to bench/IMPORT_LARGE.md: the file's size and
rows, the time from queued to done, the progress the job's page showed along the way, and
the latency of an issue page (cold: the page cache off) before and during the import.

Run: .venv/bin/python bench/import_large.py   (needs PostgreSQL and Redis on 127.0.0.1)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
import urllib.request

from _loopback import PYTHON, ROOT, Gunicorn, django_env
from run import REDIS, fresh_database, run

MEGABYTES = float(os.environ.get("BENCH_IMPORT_MB", "20"))
DATABASE = "briefs_bench_import"


def agencies_csv(megabytes: float) -> tuple[bytes, int]:
    lines, size, n = ["abbreviation,name_en,name_zh,slug,kind"], 0, 0
    while size < megabytes * 1024 * 1024:
        line = (f"PB{n},Provincial Bureau of Industry and Information Technology No. {n},"
                f"第{n}号省工业和信息化厅,pb{n},other")  # fmt: skip
        lines.append(line)
        size += len(line.encode()) + 1
        n += 1
    return ("\n".join(lines) + "\n").encode(), n


def latency(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


def main():
    url = fresh_database(DATABASE)
    run(PYTHON, "manage.py", "collectstatic", "--noinput", "-v0", env=django_env(url))
    run(PYTHON, "manage.py", "seed_archive", env=django_env(url), quiet=True)
    os.environ.update(django_env(url, DJANGO_SETTINGS_MODULE="briefs_cms.settings"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.briefings import imports
    from apps.briefings.formats import CSV
    from apps.briefings.models import Issue
    from apps.briefings.resources import AgencyResource

    data, rows = agencies_csv(MEGABYTES)
    print(f"{len(data) / 1024 / 1024:.1f} MB, {rows:,} rows", flush=True)
    editor = User.objects.create_superuser("bench-editor", password="bench-password-x")
    server = Gunicorn(url, PAGE_CACHE="false", REDIS_URL=REDIS)
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "worker", "--worker-id", "bench-worker"],
        cwd=ROOT, env=django_env(url, REDIS_URL=REDIS), stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        page = server.base + Issue.objects.published().first().get_absolute_url()
        before = [latency(page) for _ in range(40)]
        queued = time.monotonic()
        upload = SimpleUploadedFile("agencies.csv", data)
        job = imports.start_import(
            resource_class=AgencyResource, file_format=CSV, upload=upload, user=editor
        )
        during, seen, last = [], [], None
        while True:
            job.refresh_from_db()
            if job.finished:
                break
            state = (job.status, job.stage, job.done)
            since = time.monotonic() - queued
            if state != last and (not seen or since - seen[-1][0] >= 30 or state[0] != last[0]):
                seen.append((since, *state))
                print(f"  {seen[-1][0]:6.0f} s  {job.status:8} {job.stage} {job.done:,}"
                      f"/{job.total or 0:,}", flush=True)  # fmt: skip
                last = state
            during.append(latency(page))
            time.sleep(0.25)
        took = time.monotonic() - queued
    finally:
        worker.terminate()
        worker.wait()
        server.stop()
    lines = [
        "# A 20 MB spreadsheet imported in the background",
        "",
        f"`.venv/bin/python bench/import_large.py`, {time.strftime('%Y-%m-%d')}: PostgreSQL, "
        "the seed archive, one worker (`manage.py worker`) and gunicorn (2 workers, page cache "
        "off) on the same 2-core machine.",
        "",
        f"- File: agencies as CSV, {len(data) / 1024 / 1024:.1f} MB, {rows:,} rows.",
        f"- Job: {job.get_status_display().lower()} after {took:.0f} s from queued to done "
        f"({rows / took:,.0f} rows a second); result {job.result or job.errors[:3]}.",
        "- Progress its page showed: "
        + "; ".join(f"{at:.0f} s {status} {stage} {done:,}" for at, status, stage, done in seen)
        + ".",
        f"- An issue page while it ran: p50 {statistics.median(during):.1f} ms, max "
        f"{max(during):.1f} ms over {len(during)} requests; before it: p50 "
        f"{statistics.median(before):.1f} ms, max {max(before):.1f} ms.",
        "",
    ]
    (ROOT / "bench" / "IMPORT_LARGE.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    from django.db import connections

    connections.close_all()
    run("psql", "postgres://postgres@127.0.0.1:5432/postgres", "-q", "-c",
        f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)", quiet=True)  # fmt: skip


if __name__ == "__main__":
    main()
