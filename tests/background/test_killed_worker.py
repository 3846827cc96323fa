"""A worker killed in the middle of an import (SIGKILL to it and any process it forked:
no chance to tidy up) leaves nothing half-saved, and its job is run again when the worker
starts again under its name: every row imported once, and once only. On either queue:
the database, or Redis with TASKS_BACKEND=rq (whose worker forks a process per job)."""

import datetime
import os
import signal
import subprocess
import sys
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from apps.agencies.models import Agency
from apps.background import jobs
from apps.background.models import Job
from apps.briefings import imports
from apps.briefings.formats import CSV
from apps.briefings.models import RecordChange
from apps.briefings.resources import AgencyResource
from tests.background.test_imports import agencies_csv
from tests.servers import ROOT, needs_redis, production_env

ROWS = 3000
QUEUES = {
    "database": {},
    "rq": {"TASKS_BACKEND": "rq", "TASKS_REDIS_URL": "redis://127.0.0.1:6379/10"},
}


def worker(queue, *options):
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--worker-id", "worker-1", "--interval", "0.1",
         *options],
        cwd=ROOT, env=production_env(**QUEUES[queue]), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip


def queued_job(queue, user) -> Job:
    """An import of ROWS agencies, queued on `queue`."""
    if queue == "database":
        upload = SimpleUploadedFile("agencies.csv", agencies_csv(ROWS))
        return imports.start_import(resource_class=AgencyResource, file_format=CSV,
                                    upload=upload, user=user)  # fmt: skip
    needs_redis()
    subprocess.run(["redis-cli", "-n", "10", "FLUSHDB"], check=True, capture_output=True)
    job = Job.objects.create(
        kind=Job.Kind.IMPORT, title="Import of agencies from agencies.csv", created_by=user,
        options={"resource": "agencies", "format": "CSV", "file_name": "agencies.csv"},
        data=agencies_csv(ROWS),
    )  # fmt: skip
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         f"from apps.background import jobs; jobs._enqueue({job.pk})"],
        cwd=ROOT, env=production_env(**QUEUES[queue]), check=True, capture_output=True,
    )  # fmt: skip
    return job


def kill(process, with_children):
    """SIGKILL: no chance to tidy up. RQ's work horse runs in a session of its own."""
    if with_children:
        children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True,
                                  text=True).stdout.split()  # fmt: skip
        for pid in children:
            os.kill(int(pid), signal.SIGKILL)
    process.kill()
    process.wait()


def heartbeats() -> bool:
    return connection.features.has_select_for_update_skip_locked  # not SQLite


def silent(job) -> bool:
    beat = Job.objects.get(pk=job.pk).heartbeat_at
    return beat < timezone.now() - datetime.timedelta(seconds=jobs.OWN_SILENT_SECONDS)


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Waited {seconds} s for {what}.")
        time.sleep(0.05)


@pytest.mark.parametrize("queue", QUEUES)
@pytest.mark.django_db(transaction=True)
def test_a_killed_workers_import_is_run_again_without_duplicates(editor, queue):
    job = queued_job(queue, editor)
    first = worker(queue)
    try:
        wait_for(lambda: Job.objects.get(pk=job.pk).status == Job.Status.RUNNING, 60,
                 "the worker to start the job")  # fmt: skip
        # Midway: rows counted (where the database lets progress be written while the
        # import's transaction is open), or a moment into the import.
        started = time.monotonic()
        wait_for(lambda: Job.objects.get(pk=job.pk).done > 0 or time.monotonic() - started > 1.5,
                 30, "rows to be imported")  # fmt: skip
    finally:
        kill(first, with_children=True)  # as when its machine stops

    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING, "the import ended before the worker was killed"
    assert job.done < ROWS
    assert not Agency.objects.exists()  # its transaction went with it
    assert not RecordChange.objects.exists()

    if heartbeats():  # where a job's heartbeat shows it still runs: once it has stopped
        wait_for(lambda: silent(job), 30, "the job's heartbeat to stop")
    second = worker(queue, "--batch")
    output, _ = second.communicate(timeout=300)

    assert second.returncode == 0, output
    assert "Queued again, left running by this worker" in output
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, (job.errors, output)
    assert (job.attempts, job.result["new"], job.done) == (2, ROWS, ROWS)
    assert Agency.objects.count() == ROWS
    assert Agency.objects.values("abbreviation").distinct().count() == ROWS
    assert RecordChange.objects.count() == ROWS  # one recorded change per row, not two


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_rq_work_horse_outlives_its_worker_is_not_run_twice(editor):
    """RQ runs each job in a process of its own: when only the worker is killed, the job
    goes on there, and a worker started again under the name leaves it alone while its
    heartbeat goes on."""
    if not heartbeats():
        pytest.skip("A job writes its heartbeat while it works on PostgreSQL only.")
    job = queued_job("rq", editor)
    first = worker("rq")
    wait_for(lambda: Job.objects.get(pk=job.pk).status == Job.Status.RUNNING, 60,
             "the worker to start the job")  # fmt: skip
    kill(first, with_children=False)

    second = worker("rq", "--batch")
    output, _ = second.communicate(timeout=300)
    assert second.returncode == 0, output
    assert "Queued again" not in output
    wait_for(lambda: Job.objects.get(pk=job.pk).status == Job.Status.DONE, 120,
             "the work horse to finish the job")  # fmt: skip
    job.refresh_from_db()
    assert (job.attempts, job.result["new"]) == (1, ROWS)
    assert Agency.objects.count() == ROWS
    assert RecordChange.objects.count() == ROWS
