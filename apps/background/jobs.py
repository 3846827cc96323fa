"""Queueing, running and reaping jobs.

`start(job)` saves a job and queues its task once the request's transaction commits.
The worker's task calls `run(job_id, …)`, which hands the job to its kind's handler with a
`Progress` to report on. A handler does its work all or nothing (an import is one
transaction), returns its result, or raises `Refused` with errors to show (bad rows); so a
job may be run again after any failure — by a retry from its page, or by `reap()` when its
worker died midway — without doing anything twice.
"""

from __future__ import annotations

import datetime
import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Job

logger = logging.getLogger(__name__)

HANDLERS = {
    Job.Kind.IMPORT: "apps.briefings.imports.run_import",
    Job.Kind.BACKUP: "apps.briefings.backups.backup",
    Job.Kind.DRILL: "apps.briefings.backups.restore_drill",
    Job.Kind.RENDITIONS: "apps.briefings.heroes.make_renditions",
}

HEARTBEAT_SECONDS = 2
# A job its own worker left is taken as abandoned once its heartbeat has missed this long.
OWN_SILENT_SECONDS = 3 * HEARTBEAT_SECONDS
# A job runs at most this many times: one that kills its worker every time is failed.
MAX_ATTEMPTS = 3


class Refused(Exception):
    """The job cannot be done as asked (bad rows, a file too large): nothing was saved."""

    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors


def error(message, row=None, column=None) -> dict:
    return {"row": row, "column": column, "message": str(message)}


def start(job: Job) -> Job:
    """Save `job` and queue it when the current transaction commits."""
    job.status = Job.Status.QUEUED
    job.save()
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def retry(job: Job) -> None:
    """Queue a failed job again, from the start."""
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.QUEUED, errors=[], result={}, done=0, stage="", attempts=0
    )
    transaction.on_commit(lambda: _enqueue(job.pk))


def _enqueue(job_id: int) -> None:
    from .tasks import run_job

    result = run_job.enqueue(job_id)
    Job.objects.filter(pk=job_id).update(task_id=str(result.id))


def run(job_id: int, worker_id: str = "") -> None:
    now = timezone.now()
    # Claimed only if queued: a job done, failed or taken by another worker is left alone,
    # so a second task for the same job never does its work twice.
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now, finished_at=None,
        attempts=F("attempts") + 1, worker_id=worker_id, errors=[], done=0, stage="",
    )  # fmt: skip
    if not claimed:
        return
    job = Job.objects.get(pk=job_id)
    if job.attempts > MAX_ATTEMPTS:
        _finish(job, Job.Status.FAILED, errors=[error(
            f"Stopped: its worker stopped {job.attempts - 1} times while running it."
        )])  # fmt: skip
        return
    handler = import_string(HANDLERS[job.kind])
    with Progress(job) as progress:
        try:
            result = handler(job, progress)
        except Refused as refused:
            _finish(job, Job.Status.FAILED, errors=refused.errors)
            return
        except Exception as unexpected:
            _finish(job, Job.Status.FAILED, errors=[error(
                f"An unexpected error stopped it ({type(unexpected).__name__}); nothing was "
                "saved. The error log has the details; retry it once that is mended."
            )])  # fmt: skip
            raise
    _finish(job, Job.Status.DONE, result=result, data=b"")


def _finish(job, status, **values):
    Job.objects.filter(pk=job.pk).update(status=status, finished_at=timezone.now(), **values)


class Progress:
    """A running job's stage and rows done, and its heartbeat.

    In a worker they are written every HEARTBEAT_SECONDS by a thread of their own, on its
    own database connection, so they are seen while the job's transaction is still open
    (on SQLite, which lets one writer at a time, they wait until it commits). Where the job
    runs inside a transaction already (the tests, an immediate task backend) they are
    written at once through that transaction."""

    def __init__(self, job: Job):
        self.job = job
        self.stage, self.done, self.total = "", 0, job.total
        self._written = None
        self._stop = threading.Event()
        self._thread = None

    def __enter__(self):
        if not connection.in_atomic_block:
            self._thread = threading.Thread(target=self._beat, name="job-heartbeat", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc):
        if self._thread:
            self._stop.set()
            self._thread.join()
        self._write()

    def begin(self, stage: str, total: int | None = None) -> None:
        self.stage, self.done, self.total = stage, 0, total
        if self._thread is None:
            self._write()

    def row(self, done: int) -> None:
        self.done = done
        if self._thread is None and done % 100 == 0:
            self._write()

    def _beat(self):
        try:
            while not self._stop.wait(HEARTBEAT_SECONDS):
                try:
                    self._write(beat=True)
                except Exception:  # the database busy or away: try again next beat
                    logger.warning("Could not write job %s's progress.", self.job.pk)
                    close_old_connections()
        finally:
            connection.close()  # this thread's own connection

    def _write(self, beat=False):
        state = (self.stage, self.done, self.total)
        if state == self._written and not beat:
            return
        Job.objects.filter(pk=self.job.pk, status=Job.Status.RUNNING).update(
            stage=state[0], done=state[1], total=state[2], heartbeat_at=timezone.now()
        )
        self._written = state


def reap(worker_id: str | None = None) -> list[int]:
    """Queue again the jobs whose worker died while running them: those last claimed by
    `worker_id` (a worker starting again under its id finds what it left), and, on
    databases that let a job write its heartbeat while it works, those whose heartbeat
    stopped for JOB_STALE_SECONDS. Returns the jobs queued again.

    There, a job claimed by `worker_id` is also left alone while its heartbeat goes on: a
    process the dead worker forked (RQ's work horse) may outlive it and still run it."""
    running = Job.objects.filter(status=Job.Status.RUNNING)
    abandoned = Job.objects.none()
    beating = connection.features.has_select_for_update_skip_locked  # not SQLite
    now = timezone.now()
    if worker_id:  # on RQ a worker is named "ID.<process id>" (the worker command)
        abandoned = running.filter(
            Q(worker_id=worker_id) | Q(worker_id__startswith=f"{worker_id}.")
        )
        if beating:
            silent = now - datetime.timedelta(seconds=OWN_SILENT_SECONDS)
            abandoned = abandoned.filter(Q(heartbeat_at__lt=silent) | Q(heartbeat_at=None))
    if beating:
        stale = now - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS)
        abandoned = abandoned | running.filter(heartbeat_at__lt=stale)
    queued = []
    for job in abandoned:
        with transaction.atomic():
            if not Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
                status=Job.Status.QUEUED,
                stage=f"Queued again: its worker {job.worker_id} stopped while running it",
            ):
                continue
            if not _ready_again(job.task_id):  # RQ, or its task is gone or ended
                transaction.on_commit(lambda pk=job.pk: _enqueue(pk))
        queued.append(job.pk)
        logger.warning("Job %s queued again: worker %s stopped.", job.pk, job.worker_id)
    return queued


def _ready_again(task_id: str) -> bool:
    """Put a database task that its worker left running back in the queue; False where
    there is none to put back (RQ's tasks live in Redis: their ids are not the database's)."""
    if settings.TASKS_BACKEND != "database" or not task_id:
        return False
    from django_tasks_db.models import DBTaskResult

    return bool(DBTaskResult.objects.filter(pk=task_id, status="RUNNING").update(status="READY"))
