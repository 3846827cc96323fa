import io
import zipfile

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse

from apps.agencies.models import Agency
from apps.briefings import sharing
from apps.briefings.models import Issue, IssueTransition, PolicyDocument, Revision
from apps.people.models import Person
from tests.admin_forms import admin_form_data
from tests.images import image_file, run_jobs

pytestmark = pytest.mark.django_db


def public_pages(client):
    urls = ["/", "/issues/", "/agencies/", "/people/", "/sitemap.xml", "/feeds/rss/",
            "/feeds/atom/", "/feeds/stories/atom/", "/search/?q=battery"]  # fmt: skip
    for issue in Issue.objects.published():
        urls.append(issue.get_absolute_url())
        urls += [story.get_absolute_url() for story in issue.stories.all()]
        urls += [story.document.get_absolute_url() for story in issue.stories.all()]
    urls += [a.get_absolute_url() for a in Agency.objects.all() if a.documents.exists()]
    urls += [p.get_absolute_url() for p in Person.objects.all()]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content
    return pages


def test_backup_then_restore_gives_identical_pages(
    client, editor_client, editor, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_archive", stdout=io.StringIO())
    issue = Issue.objects.get(slug__startswith="2023-11")
    issue.hero_image = image_file("tower.jpg", 1800, 1000)
    issue.hero_alt = "Towers of a computing town"
    with django_capture_on_commit_callbacks(execute=True):
        issue.save()
    run_jobs()  # its renditions
    url = reverse("admin:briefings_issue_change", args=[issue.pk])
    data = admin_form_data(editor_client.get(url))
    data["standfirst"] = "A standfirst written in the admin."
    assert editor_client.post(url, data).status_code == 302
    sharing.create(issue, editor)
    client.logout()
    before = public_pages(client)
    backup = tmp_path / "backup.zip"

    call_command("export_archive", str(backup))

    for model in [Issue, PolicyDocument, Agency, Person, Revision, User]:
        model.objects.all().delete()
    for file in (tmp_path / "media").rglob("*"):
        if file.is_file():
            file.unlink()
    assert not Issue.objects.exists()

    call_command("import_archive", str(backup))

    after = public_pages(client)
    assert after.keys() == before.keys()
    for url in before:
        assert after[url] == before[url], url
    assert (tmp_path / "media" / "issues" / "renditions" / "tower.jpg-960w.webp").exists()
    assert Revision.objects.exists() and IssueTransition.objects.count() == 0
    assert User.objects.get(pk=editor.pk).check_password("correct horse battery staple")


def test_restore_refuses_a_database_with_content(tmp_path):
    call_command("loaddata", "seed", verbosity=0)
    backup = tmp_path / "backup.zip"
    call_command("export_archive", str(backup))
    with pytest.raises(CommandError, match="already holds content"):
        call_command("import_archive", str(backup))


@pytest.mark.parametrize(
    "content",
    [b"", b"not a zip at all", "zip-without-manifest", "zip-escaping-media"],
)
def test_restore_refuses_what_is_not_an_archive(tmp_path, content):
    path = tmp_path / "bad.zip"
    if content == "zip-without-manifest":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("archive.xml", "<django-objects/>")
    elif content == "zip-escaping-media":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("manifest.json", '{"format": "briefs-cms-archive", "version": 1}')
            archive.writestr("archive.xml", "<django-objects/>")
            archive.writestr("media/../../etc/evil", "x")
    else:
        path.write_bytes(content)
    with pytest.raises(CommandError):
        call_command("import_archive", str(path))
    assert not Issue.objects.exists()
