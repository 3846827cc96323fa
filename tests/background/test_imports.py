"""Spreadsheet imports too large for a web request run as background jobs: queued from
the admin's import page, run by a worker, followed on the job's page, all or nothing, and
retried after a failure without doing anything twice."""

import datetime

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.agencies.models import Agency
from apps.background import jobs
from apps.background.models import Job
from apps.briefings import imports
from apps.briefings.formats import CSV
from apps.briefings.models import PolicyDocument, RecordChange
from apps.briefings.resources import AgencyResource, PolicyDocumentResource
from tests.factories import AgencyFactory

AGENCY_HEADERS = ["abbreviation", "name_en", "name_zh", "slug", "kind"]


def agencies_csv(count, start=0):
    dataset = tablib.Dataset(headers=AGENCY_HEADERS)
    for n in range(start, start + count):
        dataset.append([f"AG{n}", f"Agency number {n}", "", f"ag{n}", "other"])
    return dataset.export("csv").encode()


def agencies_job(content, user):
    upload = SimpleUploadedFile("agencies.csv", content)
    return imports.start_import(
        resource_class=AgencyResource, file_format=CSV, upload=upload, user=user
    )


def upload(client, model, content, name="file.csv"):
    return client.post(
        reverse(f"admin:{model}_import"),
        {"import_file": SimpleUploadedFile(name, content), "format": "0", "resource": "0"},
    )


def run_worker():
    call_command("worker", batch=True, worker_id="test-worker", verbosity=0)


@pytest.fixture
def in_background(settings):
    settings.IMPORT_BACKGROUND_BYTES = 0  # every file goes to a worker


@pytest.mark.django_db(transaction=True)
def test_an_import_from_the_admin_runs_in_a_worker_and_reports_its_result(
    editor_client, in_background
):
    AgencyFactory(abbreviation="AG0", name_en="Old name", slug="ag0")

    response = upload(editor_client, "agencies_agency", agencies_csv(30), "agencies.csv")

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == Job.Status.QUEUED and job.title == "Import of agencies from agencies.csv"
    assert DBTaskResult.objects.filter(pk=job.task_id, status="READY").exists()
    assert Agency.objects.count() == 1  # nothing imported by the request
    page = editor_client.get(job.get_absolute_url()).content.decode()
    assert "Queued" in page and 'http-equiv="refresh"' in page

    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.errors
    assert (job.result["new"], job.result["update"]) == (29, 1)
    assert (job.done, job.total, job.attempts, job.data) == (30, 30, 1, b"")
    assert Agency.objects.count() == 30
    assert Agency.objects.get(abbreviation="AG0").name_en == "Agency number 0"
    assert RecordChange.objects.count() == 30  # each row a recorded change, as in the admin
    page = editor_client.get(job.get_absolute_url()).content.decode()
    assert "29 new, 1 changed, 0 unchanged" in page and "refresh" not in page


@pytest.mark.django_db
def test_bad_rows_fail_the_job_by_row_and_column_and_save_nothing_then_a_retry_imports(
    editor, editor_client, django_capture_on_commit_callbacks
):
    AgencyFactory(abbreviation="MIIT")
    dataset = tablib.Dataset(headers=["id", "label", "title_en", "title_zh", "url", "date",
                                      "issuer_note", "agencies"])  # fmt: skip
    dataset.append(["", "Policy name", "A good one", "", "https://example.org/1", "2024-01-02", "",
                    "MIIT"])  # fmt: skip
    dataset.append(["", "Policy name", "A bad one", "", "https://example.org/2", "2024-01-03", "",
                    "MIIT; TC999"])  # fmt: skip
    upload_file = SimpleUploadedFile("documents.csv", dataset.export("csv").encode())
    with django_capture_on_commit_callbacks(execute=True):
        job = imports.start_import(resource_class=PolicyDocumentResource, file_format=CSV,
                                   upload=upload_file, user=editor)  # fmt: skip

    jobs.run(job.pk)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.errors == [
        {"row": 2, "column": "agencies", "message": "Unknown agency: TC999. Add it first."}
    ]
    assert not PolicyDocument.objects.exists()  # the good first row was not kept either
    page = editor_client.get(job.get_absolute_url()).content.decode()
    assert "Failed" in page and "Unknown agency: TC999. Add it first." in page
    assert "Retry" in page and "refresh" not in page

    AgencyFactory(abbreviation="TC999")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("admin:background_job_retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.errors == []
    jobs.run(job.pk)

    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result["new"] == 2
    assert PolicyDocument.objects.count() == 2
    jobs.run(job.pk)  # a second task for a job already done does nothing
    assert PolicyDocument.objects.count() == 2


@pytest.mark.django_db
def test_a_running_job_shows_its_stage_and_rows_done(editor, editor_client):
    job = Job.objects.create(kind=Job.Kind.IMPORT, title="Import of agencies from big.xlsx",
                             created_by=editor, status=Job.Status.RUNNING,
                             stage="Checking and saving rows", done=1200, total=4800)  # fmt: skip

    page = editor_client.get(job.get_absolute_url()).content.decode()

    assert "Checking and saving rows: 1200 of 4800 rows" in page
    assert '<progress id="job-progress" max="100" value="25">' in page
    assert 'http-equiv="refresh"' in page
    assert "Retry" not in page  # only a failed job is retried
    listing = editor_client.get(reverse("admin:background_job_changelist")).content.decode()
    assert "Checking and saving rows: 1,200 of 4,800 rows" in listing


@pytest.mark.django_db
def test_people_see_their_own_jobs_and_retry_only_failed_ones(contributor, client, editor):
    from tests.signin import sign_in

    theirs = Job.objects.create(kind=Job.Kind.IMPORT, title="Someone else's",
                                created_by=editor, status=Job.Status.FAILED)  # fmt: skip
    own = Job.objects.create(kind=Job.Kind.IMPORT, title="Mine", created_by=contributor,
                             status=Job.Status.DONE)  # fmt: skip
    sign_in(client, contributor)

    listing = client.get(reverse("admin:background_job_changelist")).content.decode()
    assert "Mine" in listing and "Someone else" not in listing
    assert client.get(theirs.get_absolute_url()).status_code == 302  # not found: to the index
    assert client.post(reverse("admin:background_job_retry", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("admin:background_job_retry", args=[own.pk])).status_code == 403
    assert Job.objects.get(pk=own.pk).status == Job.Status.DONE


@pytest.mark.django_db
def test_files_over_the_limits_are_refused_with_the_limits_stated(editor_client, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    settings.IMPORT_MAX_ROWS = 10
    url = reverse("admin:agencies_agency_import")

    page = editor_client.get(url).content.decode()
    assert "At most 1 MB and 10 rows" in page

    too_big = upload(editor_client, "agencies_agency", b"x" * (1024 * 1024 + 1))
    assert "The file is 1.0 MB; an import takes at most 1 MB" in too_big.content.decode()
    too_long = upload(editor_client, "agencies_agency", agencies_csv(11))
    assert "The file has 11 rows; an import takes at most 10" in too_long.content.decode()
    assert not Agency.objects.exists() and not Job.objects.exists()


@pytest.mark.django_db
def test_a_job_with_too_many_rows_or_an_unreadable_file_fails_with_a_message(editor, settings):
    settings.IMPORT_MAX_ROWS = 10
    for content, message in [
        (agencies_csv(11), "The file has 11 rows; an import takes at most 10"),
        (b"\xff\xfe\x00not text", "The file could not be read as csv"),
    ]:
        job = agencies_job(content, editor)
        jobs.run(job.pk)
        job.refresh_from_db()
        assert job.status == Job.Status.FAILED and message in job.errors[0]["message"]
    assert not Agency.objects.exists()


@pytest.mark.django_db
def test_a_worker_starting_again_queues_what_it_left_running(editor):
    job = agencies_job(agencies_csv(3), editor)
    jobs._enqueue(job.pk)
    job.refresh_from_db()
    DBTaskResult.objects.filter(pk=job.task_id).update(status="RUNNING", worker_ids=["w1"])
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, worker_id="w1",
                                         heartbeat_at=timezone.now(), attempts=1)  # fmt: skip

    assert jobs.reap("another-worker") == []  # its heartbeat is fresh: still running
    if connection.features.has_select_for_update_skip_locked:
        # Where heartbeats are written while a job works, a fresh one means a process the
        # worker left (RQ's work horse) still runs it; once it has missed a few, it is taken.
        assert jobs.reap("w1") == []
        silent = timezone.now() - datetime.timedelta(seconds=jobs.OWN_SILENT_SECONDS + 1)
        Job.objects.filter(pk=job.pk).update(heartbeat_at=silent)
    assert jobs.reap("w1") == [job.pk]

    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and "worker w1 stopped" in job.stage
    assert DBTaskResult.objects.get(pk=job.task_id).status == "READY"


@pytest.mark.django_db
def test_a_job_whose_heartbeat_stopped_is_queued_again_on_postgresql(editor):
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("SQLite lets one writer at a time: a long import holds back heartbeats")
    job = agencies_job(agencies_csv(3), editor)
    jobs._enqueue(job.pk)
    job.refresh_from_db()
    DBTaskResult.objects.filter(pk=job.task_id).update(status="RUNNING", worker_ids=["w1"])
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, worker_id="w1",
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=5),
    )  # fmt: skip

    assert jobs.reap() == [job.pk]
    assert DBTaskResult.objects.get(pk=job.task_id).status == "READY"


@pytest.mark.django_db
def test_a_job_that_kept_killing_its_worker_is_failed(editor):
    job = agencies_job(agencies_csv(3), editor)
    Job.objects.filter(pk=job.pk).update(attempts=jobs.MAX_ATTEMPTS)

    jobs.run(job.pk)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "stopped 3 times" in job.errors[0]["message"]
    assert not Agency.objects.exists()


@pytest.mark.django_db
def test_odd_job_addresses_answer_not_found(editor_client):
    # A NUL character is refused before anything else (NulCharacterMiddleware).
    for job_id, status in [("abc", 404), ("99999", 404), ("-1", 404), ("1%00", 400)]:
        url = f"/admin/background/job/{job_id}/retry/"
        assert editor_client.post(url).status_code == status, job_id
        page = editor_client.get(f"/admin/background/job/{job_id}/change/")
        assert page.status_code in (302, status), job_id  # the admin's "not found" redirect


@pytest.mark.django_db
def test_a_file_name_with_markup_is_shown_as_text(editor, editor_client):
    upload = SimpleUploadedFile('<img src=x onerror="alert(1)">.csv', agencies_csv(1))
    job = imports.start_import(
        resource_class=AgencyResource, file_format=CSV, upload=upload, user=editor
    )
    page = editor_client.get(job.get_absolute_url()).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x" in page


@pytest.mark.django_db
def test_a_job_left_running_on_the_rq_backend_is_queued_again(editor, settings):
    settings.TASKS_BACKEND = "rq"
    job = agencies_job(agencies_csv(3), editor)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, worker_id="w1.4242", task_id="W16btD70qL3FQJaMLnCdXWKWgmHsxwyY"
    )  # an RQ job id, not a database task's UUID

    assert jobs.reap("w1") == [job.pk]

    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and "worker w1.4242 stopped" in job.stage
