"""A hero image's renditions are made by a background job, not while the editor waits:
until it is done the page offers the original alone; then every page showing the image
lists them, at once, cached pages included. An image shown before keeps its renditions
whichever way it comes back (a pending change published, an earlier revision restored)."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from apps.background.models import Job
from apps.briefings import editing
from apps.briefings.models import Issue
from tests.admin_forms import admin_form_data, change_url
from tests.background.test_imports import run_worker
from tests.factories import IssueFactory, complete_issue, published_issue
from tests.images import image_file, run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def renditions(media):
    folder = media / "issues" / "renditions"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def srcset(client, url):
    html = client.get(url).content.decode()
    return html.split('srcset="', 1)[1].split('"', 1)[0]


def upload_hero(client, issue, name="port.jpg", width=1700, **changes):
    data = admin_form_data(client.get(change_url(issue)))
    data.update(hero_alt="Cranes at a container port", **changes)
    data["hero_image"] = image_file(name, width, 900)
    response = client.post(change_url(issue), data)
    assert response.status_code == 302, response.context and response.context["errors"]


@pytest.mark.django_db(transaction=True)
def test_an_upload_returns_at_once_and_a_worker_makes_its_sizes(editor_client, client, media):
    issue = published_issue()
    url = issue.get_absolute_url()
    client.get(url)  # cached without an image

    upload_hero(editor_client, issue, _publish="1")

    job = Job.objects.get()
    assert (job.kind, job.status, job.options) == (
        "renditions",
        "queued",
        {"image": "issues/port.jpg"},
    )
    assert renditions(media) == []
    assert srcset(client, url) == "/media/issues/port.jpg 1700w"  # the original alone
    jobs_page = editor_client.get(reverse("admin:background_job_changelist")).content.decode()
    assert "Image sizes of issues/port.jpg" in jobs_page

    run_worker()

    job.refresh_from_db()
    assert job.status == "done" and job.result == {"widths": [480, 960, 1600], "issues": 1}
    assert job.summary() == "Made sizes 480, 960 and 1600 px wide"
    assert renditions(media) == [
        "port.jpg-1600w.webp",
        "port.jpg-480w.webp",
        "port.jpg-960w.webp",
    ]
    assert srcset(client, url) == (  # the cached page made again
        "/media/issues/renditions/port.jpg-480w.webp 480w, "
        "/media/issues/renditions/port.jpg-960w.webp 960w, "
        "/media/issues/renditions/port.jpg-1600w.webp 1600w, /media/issues/port.jpg 1700w"
    )
    assert "port.jpg-480w.webp" in srcset(client, reverse("briefings:home"))


def test_saving_again_without_a_new_image_queues_nothing(
    editor_client, media, django_capture_on_commit_callbacks
):
    issue = complete_issue()
    with django_capture_on_commit_callbacks(execute=True):
        upload_hero(editor_client, issue)
        upload_hero(editor_client, Issue.objects.get(pk=issue.pk), name="other.jpg")
    assert Job.objects.count() == 2
    run_jobs()

    with django_capture_on_commit_callbacks(execute=True):
        data = admin_form_data(editor_client.get(change_url(issue)))
        data["title"] = "Edited"
        assert editor_client.post(change_url(issue), data).status_code == 302

    assert Job.objects.count() == 2
    assert Issue.objects.get(pk=issue.pk).hero_renditions_of == "issues/other.jpg"


def test_two_images_of_the_same_name_but_format_get_their_own_sizes(
    media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        IssueFactory(hero_image=image_file("chart.jpg", 1000, 500), hero_alt="A chart")
        IssueFactory(hero_image=image_file("chart.png", 1000, 500), hero_alt="A chart")
    run_jobs()
    assert renditions(media) == [
        "chart.jpg-480w.webp",
        "chart.jpg-960w.webp",
        "chart.png-480w.webp",
        "chart.png-960w.webp",
    ]


def test_a_pending_image_published_after_its_job_lists_its_sizes_at_once(
    editor_client, editor, client, media, django_capture_on_commit_callbacks
):
    issue = published_issue()
    with django_capture_on_commit_callbacks(execute=True):
        upload_hero(editor_client, issue)  # pending: readers keep the live issue
    run_jobs()
    assert Issue.objects.get(pk=issue.pk).hero_renditions_of == ""
    assert "<img" not in client.get(issue.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        editing.publish_changes(Issue.objects.get(pk=issue.pk), user=editor)

    assert Job.objects.count() == 1  # no second job: the sizes were there
    assert "port.jpg-960w.webp 960w" in srcset(client, issue.get_absolute_url())


def test_a_pending_image_published_before_its_job_gets_its_sizes_from_it(
    editor_client, editor, client, media, django_capture_on_commit_callbacks
):
    issue = published_issue()
    with django_capture_on_commit_callbacks(execute=True):
        upload_hero(editor_client, issue)
        editing.publish_changes(Issue.objects.get(pk=issue.pk), user=editor)
    assert srcset(client, issue.get_absolute_url()) == "/media/issues/port.jpg 1700w"
    assert Job.objects.count() == 1  # the one queued by the upload

    run_jobs()

    assert "port.jpg-960w.webp 960w" in srcset(client, issue.get_absolute_url())


def test_an_earlier_revisions_image_comes_back_with_its_sizes(
    editor_client, editor, client, media, django_capture_on_commit_callbacks
):
    issue = complete_issue()
    with django_capture_on_commit_callbacks(execute=True):
        upload_hero(editor_client, issue, name="first.jpg")
    run_jobs()
    first = issue.revisions.first()
    with django_capture_on_commit_callbacks(execute=True):
        upload_hero(editor_client, Issue.objects.get(pk=issue.pk), name="second.jpg")

    with django_capture_on_commit_callbacks(execute=True):
        editing.restore(Issue.objects.get(pk=issue.pk), first, user=editor)

    issue.refresh_from_db()
    assert issue.hero_image.name == "issues/first.jpg"
    assert issue.hero_renditions_of == "issues/first.jpg"
    assert "first.jpg-960w.webp 960w" in issue.hero_srcset()
    assert Job.objects.count() == 2  # the two uploads'; none for the restore


def test_a_job_whose_image_is_gone_fails_clearly_and_an_editor_may_retry_it(
    client, editor_client, media, django_capture_on_commit_callbacks
):
    issue = published_issue()
    with django_capture_on_commit_callbacks(execute=True):
        issue.hero_image = image_file("gone.jpg", 1200, 600)
        issue.hero_alt = "Gone"
        issue.save()
    kept = default_storage.open("issues/gone.jpg").read()
    default_storage.delete("issues/gone.jpg")

    run_jobs()

    job = Job.objects.get()
    assert job.status == "failed"
    message = job.errors[0]["message"]
    assert message == "The image issues/gone.jpg is no longer in the media storage."
    assert srcset(client, issue.get_absolute_url()) == "/media/issues/gone.jpg 1200w"

    default_storage.save("issues/gone.jpg", ContentFile(kept))  # put back
    retry = reverse("admin:background_job_retry", args=[job.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(retry).status_code == 302
    run_jobs()
    job.refresh_from_db()
    assert job.status == "done"
    assert "gone.jpg-960w.webp 960w" in srcset(client, issue.get_absolute_url())


def test_the_command_makes_the_sizes_pages_lack(media, client):
    issue = published_issue(hero_image=image_file("old.jpg", 1000, 500), hero_alt="Old")
    Issue.objects.filter(pk=issue.pk).update(hero_renditions_of="")  # e.g. an older archive
    assert renditions(media) == []

    out = io.StringIO()
    call_command("make_renditions", stdout=out)

    assert renditions(media) == ["old.jpg-480w.webp", "old.jpg-960w.webp"]
    assert "Made the sizes of 1 image." in out.getvalue()
    assert "old.jpg-480w.webp 480w" in srcset(client, issue.get_absolute_url())
