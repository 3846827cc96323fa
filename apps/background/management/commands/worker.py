import os
import socket
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, connections
from django_tasks_db.management.commands.db_worker import Worker, validate_worker_id

from ... import jobs

REAP_EVERY_SECONDS = 30


class Command(BaseCommand):
    help = (
        "Runs background jobs (image sizes, large imports, backups, restore drills) from "
        "the queue — in the database, or in Redis with TASKS_BACKEND=rq — until stopped. "
        "Jobs left running by a worker that died are queued again: at start, those of this "
        "worker's id (on PostgreSQL once their heartbeat has stopped); while it runs, on "
        "PostgreSQL, those whose heartbeat stopped for JOB_STALE_SECONDS."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--worker-id",
            type=validate_worker_id,
            default=socket.gethostname()[:50],
            help="This worker's name, the same each time it starts and unique among running "
            "workers (default: the machine's name; give each worker on a machine its own).",
        )
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then stop.")
        parser.add_argument(
            "--interval", type=float, default=1.0,
            help="Seconds between looks at an empty queue (default 1).",
        )  # fmt: skip

    def handle(self, *, worker_id, batch, interval, verbosity, **options):
        again = jobs.reap(worker_id)
        if again and verbosity:
            self.stdout.write(f"Queued again, left running by this worker: {again}")
        stop = threading.Event()
        if not batch:
            threading.Thread(target=self._reap, args=(stop,), daemon=True).start()
        if verbosity:
            self.stdout.write(
                f"Worker {worker_id} running jobs from the {settings.TASKS_BACKEND} queue "
                f"(stale after {settings.JOB_STALE_SECONDS} s without a heartbeat)."
            )
        try:
            if settings.TASKS_BACKEND == "rq":
                self._run_rq(worker_id, batch)
            else:
                self._run_database(worker_id, batch, interval)
        finally:
            stop.set()

    def _run_database(self, worker_id, batch, interval):
        worker = Worker(
            queue_names=["*"], interval=interval, batch=batch, backend_name="default",
            startup_delay=not batch, max_tasks=None, worker_id=worker_id,
            excluded_queue_names=[],
        )  # fmt: skip
        if not batch:  # stopped by a signal: the job running is finished first
            worker.configure_signals()
        worker.run()

    def _run_rq(self, worker_id, batch):
        # RQ keeps a worker's name registered for minutes after the worker died, and
        # refuses a second worker of that name: each start gets its own (`reap` matches
        # the jobs of "NAME.*"). Its work horses are forked: no connection is shared.
        connections.close_all()
        call_command(
            "rqworker", "default", job_class="django_tasks_rq.Job",
            worker_class="apps.background.rqworker.PromptWorker",
            name=f"{worker_id}.{os.getpid()}", burst=batch,
        )  # fmt: skip

    def _reap(self, stop):
        try:
            while not stop.wait(REAP_EVERY_SECONDS):
                try:
                    jobs.reap()
                except Exception:
                    jobs.logger.exception("Looking for abandoned jobs failed.")
        finally:
            connection.close()
