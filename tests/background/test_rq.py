"""With TASKS_BACKEND=rq, jobs are queued in Redis (RQ, through django-tasks-rq) at
TASKS_REDIS_URL, a setting of their own, and run by the same worker command."""

import subprocess
import sys

import pytest
from django_tasks_db.models import DBTaskResult

from apps.agencies.models import Agency
from apps.background.models import Job
from tests.background.test_imports import agencies_csv
from tests.servers import ROOT, needs_redis, production_env
from tests.test_settings import manage

QUEUE = "redis://127.0.0.1:6379/11"


def rq_manage(*args):
    env = production_env(TASKS_BACKEND="rq", TASKS_REDIS_URL=QUEUE)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_an_import_queued_in_redis_is_run_by_the_worker(editor):
    needs_redis()
    subprocess.run(["redis-cli", "-n", "11", "FLUSHDB"], check=True, capture_output=True)
    job = Job.objects.create(
        kind=Job.Kind.IMPORT, title="Import of agencies from agencies.csv", created_by=editor,
        options={"resource": "agencies", "format": "CSV", "file_name": "agencies.csv"},
        data=agencies_csv(20),
    )  # fmt: skip

    queued = rq_manage("shell", "-c", f"from apps.background import jobs; jobs._enqueue({job.pk})")

    assert queued.returncode == 0, queued.stderr
    job.refresh_from_db()
    assert job.task_id and not DBTaskResult.objects.exists()  # in Redis, not the database
    worked = rq_manage("worker", "--batch", "--worker-id", "rq-worker")
    assert worked.returncode == 0, worked.stderr
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, (job.errors, worked.stderr[-2000:])
    assert job.worker_id.startswith("rq-worker.") and job.result["new"] == 20
    assert Agency.objects.count() == 20


def test_the_rq_backend_needs_its_own_redis_and_a_known_name():
    result = manage("check", TASKS_BACKEND="rq", REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.returncode != 0 and "TASKS_BACKEND=rq needs TASKS_REDIS_URL" in result.stderr
    result = manage("check", TASKS_BACKEND="celery")
    assert result.returncode != 0
    assert "TASKS_BACKEND is 'celery': use 'database' (the default) or 'rq'." in result.stderr
