"""A worker killed in the middle of an import (SIGKILL: no chance to tidy up) leaves
nothing half-saved, and its job is run again when the worker starts again under its name:
every row imported once, and once only."""

import signal
import subprocess
import sys
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.agencies.models import Agency
from apps.background.models import Job
from apps.briefings import imports
from apps.briefings.formats import CSV
from apps.briefings.models import RecordChange
from apps.briefings.resources import AgencyResource
from tests.background.test_imports import agencies_csv
from tests.servers import ROOT, production_env

ROWS = 3000


def worker(*options):
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--worker-id", "worker-1", "--interval", "0.1",
         *options],
        cwd=ROOT, env=production_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Waited {seconds} s for {what}.")
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_a_killed_workers_import_is_run_again_without_duplicates(editor):
    upload = SimpleUploadedFile("agencies.csv", agencies_csv(ROWS))
    job = imports.start_import(resource_class=AgencyResource, file_format=CSV, upload=upload,
                               user=editor)  # fmt: skip
    first = worker()
    try:
        wait_for(lambda: Job.objects.get(pk=job.pk).status == Job.Status.RUNNING, 60,
                 "the worker to start the job")  # fmt: skip
        # Midway: rows counted (where the database lets progress be written while the
        # import's transaction is open), or a moment into the import.
        started = time.monotonic()
        wait_for(lambda: Job.objects.get(pk=job.pk).done > 0 or time.monotonic() - started > 1.5,
                 30, "rows to be imported")  # fmt: skip
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()

    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING, "the import ended before the worker was killed"
    assert job.done < ROWS
    assert not Agency.objects.exists()  # its transaction went with it
    assert not RecordChange.objects.exists()

    second = worker("--batch")
    output, _ = second.communicate(timeout=300)

    assert second.returncode == 0, output
    assert "Queued again, left running by this worker" in output
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, (job.errors, output)
    assert (job.attempts, job.result["new"], job.done) == (2, ROWS, ROWS)
    assert Agency.objects.count() == ROWS
    assert Agency.objects.values("abbreviation").distinct().count() == ROWS
    assert RecordChange.objects.count() == ROWS  # one recorded change per row, not two
