import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from apps.briefings.models import Issue
from apps.people.models import Person
from tests.admin_forms import admin_form_data
from tests.factories import PersonFactory, complete_issue
from tests.images import image_file, run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png(width, height, mode="1"):
    """A PNG that is small on disk whatever its size in pixels (one colour compresses well)."""
    buffer = io.BytesIO()
    Image.new(mode, (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def truncated_jpeg():
    whole = image_file("whole.jpg", 800, 600).read()
    return whole[: len(whole) // 2]


BAD_UPLOADS = {
    "not an image": (b"%PDF-1.7 this is a PDF, not a picture", "this file is not an image"),
    "truncated": (truncated_jpeg(), "incomplete or damaged"),
    "oversized": (b"\xff\xd8\xff" + b"\0" * (21 * 1024 * 1024), "it can be at most 20 MB"),
    "too many pixels": (png(8000, 6000), "is 48 megapixels; it can be at most 40 megapixels"),
    "decompression bomb": (png(20000, 20000), "can be at most 40 megapixels"),
    "gif": (None, "Upload a JPEG, PNG or WebP image; this one is GIF."),
}


def gif():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")
    return buffer.getvalue()


@pytest.mark.parametrize("case", BAD_UPLOADS)
def test_bad_hero_image_is_refused_with_a_clear_message(editor_client, case):
    content, message = BAD_UPLOADS[case]
    issue = complete_issue(title="Unchanged")
    url = reverse("admin:briefings_issue_change", args=[issue.pk])
    data = admin_form_data(editor_client.get(url))
    data.update(title="Changed", hero_alt="Alt text")
    data["hero_image"] = SimpleUploadedFile("hero.jpg", content if content else gif())

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors["hero_image"])
    issue.refresh_from_db()
    assert issue.title == "Unchanged" and not issue.hero_image


def test_good_hero_image_is_stored_with_its_renditions(
    editor_client, media, django_capture_on_commit_callbacks
):
    issue = complete_issue()
    url = reverse("admin:briefings_issue_change", args=[issue.pk])
    data = admin_form_data(editor_client.get(url))
    data.update(hero_alt="Cranes at a container port", hero_caption="Qingdao")
    data["hero_image"] = image_file("port.webp", 1700, 900)

    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(url, data).status_code == 302
    run_jobs()  # its renditions

    issue = Issue.objects.get(pk=issue.pk)
    assert (issue.hero_width, issue.hero_height) == (1700, 900)
    assert sorted(p.name for p in (media / "issues" / "renditions").iterdir()) == [
        "port.webp-1600w.webp",
        "port.webp-480w.webp",
        "port.webp-960w.webp",
    ]


def test_hero_image_without_alt_text_is_refused(editor_client):
    issue = complete_issue()
    url = reverse("admin:briefings_issue_change", args=[issue.pk])
    data = admin_form_data(editor_client.get(url))
    data["hero_image"] = image_file("port.png", 600, 400)
    response = editor_client.post(url, data)
    assert "Describe the hero image" in response.content.decode()
    issue.refresh_from_db()
    assert not issue.hero_image


def test_person_photo_is_checked_too(editor_client):
    person = PersonFactory()
    url = reverse("admin:people_person_change", args=[person.pk])
    data = admin_form_data(editor_client.get(url))
    data["photo"] = SimpleUploadedFile("me.jpg", truncated_jpeg())
    data["photo_alt"] = "Portrait"
    response = editor_client.post(url, data)
    assert "incomplete or damaged" in response.content.decode()
    assert not Person.objects.get(pk=person.pk).photo
