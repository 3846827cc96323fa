"""Backups that run themselves: written to the backups storage (never the public media
store) with the newest kept, and a restore drill that restores the newest into a scratch
database and compares pages; both kept as jobs the admin shows, and queued from there."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from apps.background import jobs
from apps.background.models import Job
from apps.briefings import backups
from apps.briefings.models import Issue


@pytest.fixture
def backup_dir(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "backups": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "backups"},
        },
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_KEEP = 2
    return tmp_path / "backups"


@pytest.mark.django_db(transaction=True)
def test_a_backup_keeps_the_newest_and_a_drill_restores_it_with_the_same_pages(
    backup_dir, time_machine
):
    call_command("seed_archive", stdout=io.StringIO())
    out = io.StringIO()
    for day in (1, 2, 3):
        time_machine.move_to(f"2026-12-0{day} 03:00Z")
        call_command("backup_archive", stdout=out)

    kept = sorted(path.name for path in backup_dir.iterdir())
    assert kept == ["briefs-archive-20261202T030000Z.zip", "briefs-archive-20261203T030000Z.zip"]
    assert "Removed briefs-archive-20261201T030000Z.zip" in out.getvalue()
    with zipfile.ZipFile(backup_dir / kept[-1]) as archive:
        assert "archive.xml" in archive.namelist()
    newest = Job.objects.filter(kind=Job.Kind.BACKUP).first()
    assert newest.status == Job.Status.DONE and newest.result["pages"] >= 7 + 5 * 6

    out = io.StringIO()
    call_command("restore_drill", stdout=out)

    assert "Restored briefs-archive-20261203T030000Z.zip into a scratch database" in out.getvalue()
    drill = Job.objects.filter(kind=Job.Kind.DRILL).get()
    assert drill.status == Job.Status.DONE
    assert drill.result["same"] == drill.result["pages"] == newest.result["pages"]


@pytest.mark.django_db(transaction=True)
def test_a_drill_reports_pages_that_differ_and_fails(backup_dir):
    call_command("seed_archive", stdout=io.StringIO())
    call_command("backup_archive", stdout=io.StringIO())
    (name,) = [path for path in backup_dir.iterdir()]
    # A backup whose fingerprints do not match what it restores (as a damaged file would).
    with zipfile.ZipFile(name) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts["manifest.json"] = parts["manifest.json"].replace(b'"/": "200:', b'"/": "200:0')
    with zipfile.ZipFile(name, "w") as archive:
        for filename, data in parts.items():
            archive.writestr(filename, data)

    with pytest.raises(CommandError, match="/ differs from the page when"):
        call_command("restore_drill", stdout=io.StringIO())
    assert Job.objects.get(kind=Job.Kind.DRILL).status == Job.Status.FAILED
    assert Issue.objects.count() == 5  # the live archive untouched


@pytest.mark.django_db
def test_a_drill_without_a_backup_says_so(backup_dir):
    with pytest.raises(CommandError, match="There is no backup to restore yet"):
        call_command("restore_drill", stdout=io.StringIO())


@pytest.mark.django_db
def test_superusers_queue_a_backup_or_a_drill_from_the_jobs_page(
    backup_dir, editor_client, django_capture_on_commit_callbacks
):
    listing = editor_client.get(reverse("admin:background_job_changelist")).content.decode()
    assert "Back up now" in listing and "Run a restore drill" in listing

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("admin:background_job_start", args=["backup"]))

    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.kind == Job.Kind.BACKUP and job.status == Job.Status.QUEUED and job.task_id
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.result["backup"] in [path.name for path in backup_dir.iterdir()]
    page = editor_client.get(job.get_absolute_url()).content.decode()
    assert f"stored {job.result['backup']}" in page
    start = "admin:background_job_start"
    assert editor_client.post(reverse(start, args=["nope"])).status_code == 404
    assert editor_client.get(reverse(start, args=["backup"])).status_code == 403


@pytest.mark.django_db
def test_others_cannot_start_backups(contributor, client):
    from tests.signin import sign_in

    sign_in(client, contributor)
    listing = client.get(reverse("admin:background_job_changelist")).content.decode()
    assert "Back up now" not in listing
    assert client.post(reverse("admin:background_job_start", args=["backup"])).status_code == 403
    assert not Job.objects.exists()


def test_backups_never_go_to_the_public_media_bucket(monkeypatch):
    import subprocess
    import sys

    from tests.servers import ROOT

    script = ("import django; django.setup(); from django.conf import settings; "
              "o = settings.STORAGES['backups']['OPTIONS']; "
              "print(o['bucket_name'], o['default_acl'], o['querystring_auth'])")  # fmt: skip
    env = {
        "AWS_STORAGE_BUCKET_NAME": "public-media",
        "BACKUP_BUCKET_NAME": "private-backups",
        "DJANGO_SETTINGS_MODULE": "briefs_cms.settings",
        "DEBUG": "true",
    }
    output = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True,
                            capture_output=True, text=True).stdout  # fmt: skip
    assert output.split() == ["private-backups", "private", "True"]
    assert backups.PREFIX == "briefs-archive-"
