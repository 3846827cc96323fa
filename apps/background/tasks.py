from django.tasks import task

from . import jobs


@task(takes_context=True)
def run_job(context, job_id: int):
    """Run a background job (`apps.background.jobs`)."""
    worker_ids = getattr(context.task_result, "worker_ids", None) or [""]
    jobs.run(job_id, worker_id=worker_ids[-1])
