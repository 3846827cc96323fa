"""Uploads in an S3-compatible object store: every app server shares them and pages link to
the store. Tested against a real S3 API on loopback (moto's standalone server), not a mock
of the client."""

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.core.management import call_command

from apps.agencies.models import Agency
from apps.briefings.models import Issue, PolicyDocument, Revision
from apps.people.models import Person
from tests.factories import published_issue
from tests.images import image_file, run_jobs
from tests.servers import S3_KEYS, S3Server, get
from tests.test_settings import manage

pytestmark = pytest.mark.django_db
BUCKET = "briefs-media"


@pytest.fixture(scope="module")
def s3():
    server = S3Server()
    yield server
    server.stop()


@pytest.fixture
def s3_endpoint(s3):
    return s3.endpoint


@pytest.fixture
def object_store(s3, settings, tmp_path):
    """The media storage in a fresh bucket of the S3 server; MEDIA_ROOT an empty folder
    that nothing may be written to."""
    client = s3.public_bucket(BUCKET)
    settings.MEDIA_ROOT = tmp_path / "local-media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3.endpoint,
                "region_name": "us-east-1",
                "access_key": S3_KEYS["AWS_ACCESS_KEY_ID"],
                "secret_key": S3_KEYS["AWS_SECRET_ACCESS_KEY"],
                "addressing_style": "path",
                "querystring_auth": False,
                "file_overwrite": False,
            },
        },
    }
    yield client
    s3.remove_bucket(BUCKET)


def stored(client):
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_a_hero_image_and_its_renditions_are_kept_in_the_store_and_linked_from_it(
    client, object_store, s3_endpoint, settings, django_capture_on_commit_callbacks
):
    issue = published_issue()
    issue.hero_image = image_file("harbour.jpg", 1800, 1000)
    issue.hero_alt = "A container harbour"
    with django_capture_on_commit_callbacks(execute=True):
        issue.save()
    run_jobs()  # its renditions

    assert stored(object_store) == [
        "issues/harbour.jpg",
        "issues/renditions/harbour.jpg-1600w.webp",
        "issues/renditions/harbour.jpg-480w.webp",
        "issues/renditions/harbour.jpg-960w.webp",
    ]
    assert not Path(settings.MEDIA_ROOT).exists()  # nothing on this server's disk
    page = client.get(issue.get_absolute_url()).content.decode()
    image = re.search(r'<img src="([^"]+)" srcset="([^"]+)"', page)
    assert image.group(1) == f"{s3_endpoint}/{BUCKET}/issues/harbour.jpg"
    sources = [source.split()[0] for source in image.group(2).split(", ")]
    assert f"{s3_endpoint}/{BUCKET}/issues/renditions/harbour.jpg-960w.webp" in sources
    for url in [image.group(1), *sources]:  # what a reader's browser loads, from the store
        status, content = get(url)
        assert status == 200 and content[:4] in (b"\xff\xd8\xff\xe0", b"RIFF")


def test_a_second_upload_of_the_same_name_keeps_the_first(object_store):
    first, second = published_issue(), published_issue()
    first.hero_image = image_file("harbour.jpg", 800, 500)
    first.save()
    second.hero_image = image_file("harbour.jpg", 800, 500)
    second.save()
    assert first.hero_image.name == "issues/harbour.jpg"
    assert second.hero_image.name != first.hero_image.name
    assert default_storage.exists(first.hero_image.name)


def test_backup_and_restore_carry_the_stores_files(
    object_store, tmp_path, django_capture_on_commit_callbacks
):
    issue = published_issue()
    issue.hero_image = image_file("harbour.jpg", 1000, 600)
    with django_capture_on_commit_callbacks(execute=True):
        issue.save()
    run_jobs()  # its renditions
    before = {key: default_storage.open(key).read() for key in stored(object_store)}
    backup = tmp_path / "backup.zip"

    call_command("export_archive", str(backup), stdout=io.StringIO())

    for model in [Issue, PolicyDocument, Agency, Person, Revision, User]:
        model.objects.all().delete()
    for key in before:
        object_store.delete_object(Bucket=BUCKET, Key=key)
    call_command("import_archive", str(backup), stdout=io.StringIO())

    after = {key: default_storage.open(key).read() for key in stored(object_store)}
    assert after == before and len(after) == 3  # the image, its 480 and 960 px renditions


def test_pages_may_show_images_from_the_store(tmp_path):
    """The Content Security Policy lets images come from the store's address."""
    environment = {"AWS_STORAGE_BUCKET_NAME": BUCKET, **S3_KEYS}
    code = (
        "from django.conf import settings; from django.core.files.storage import "
        "default_storage as s; print(s.url('issues/a.jpg'), settings.SECURE_CSP['img-src'])"
    )
    for extra, origin in [
        ({"AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000"}, "http://127.0.0.1:9000"),
        ({"AWS_S3_CUSTOM_DOMAIN": "media.example.org"}, "https://media.example.org"),
        ({}, f"https://{BUCKET}.s3.amazonaws.com"),
    ]:
        result = manage("shell", "-v0", "-c", code, **environment, **extra)
        assert result.returncode == 0, result.stderr
        url, policy = result.stdout.strip().split(" ", 1)
        assert url.startswith(origin + "/") and repr(origin) in policy
