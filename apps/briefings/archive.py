"""Backup and restore of the whole archive in one file.

The file is a zip holding `archive.xml` — every content model, the editorial users and
groups, revisions, workflow history and the redirects of moved addresses, as a Django
fixture with natural keys for users, groups, permissions and content types (XML, because
Django's JSON drops microseconds) —
and `media/`, every uploaded image and its renditions, read from and written back to the
media storage (the local folder, or the object store). Restoring into an empty database
gives back the same pages, byte for byte.
"""

import io
import json
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from .models import Issue
from .signals import published_content_changed

FORMAT = "briefs-cms-archive"
VERSION = 1
LABELS = [
    "auth.group",
    "auth.user",
    "agencies",
    "people",
    "briefings",
]
# What must be absent for a restore: content, and users (the archive brings its own).
CONTENT = [
    "briefings.Issue",
    "briefings.PolicyDocument",
    "agencies.Agency",
    "people.Person",
    "auth.User",
]


class ArchiveError(Exception):
    """A file that is not an archive of ours, or a database that is not empty."""


def export_archive(path: Path, extra: dict | None = None) -> dict:
    """Write the archive to `path`; return what it holds (its manifest, with `extra`)."""
    data = io.StringIO()
    call_command(
        "dumpdata",
        *LABELS,
        format="xml",
        natural_foreign=True,
        natural_primary=False,
        # A restored database starts a version of its own (see ContentVersion).
        exclude=["briefings.ContentVersion"],
        stdout=data,
        verbosity=0,
    )
    objects = data.getvalue().count("<object ")
    media = sorted(media_files())
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created": timezone.now().isoformat(),
        "objects": objects,
        "media": len(media),
        **(extra or {}),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
        archive.writestr("archive.xml", data.getvalue())
        for name in media:
            with (
                default_storage.open(name, "rb") as file,
                archive.open(f"media/{name}", "w") as out,
            ):
                shutil.copyfileobj(file, out)
    return manifest


def media_files(folder: str = ""):
    """The name of every file in the media storage, in any folder."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:  # no media folder yet
        return
    prefix = f"{folder}/" if folder else ""
    for name in files:
        yield prefix + name
    for name in folders:
        yield from media_files(prefix + name)


def _safe_media_name(name: str) -> PurePosixPath | None:
    path = PurePosixPath(name)
    if path.parts[:1] != ("media",) or path.is_absolute() or ".." in path.parts:
        return None
    return PurePosixPath(*path.parts[1:])


def import_archive(path: Path) -> dict:
    """Restore an archive into an empty database; raise ArchiveError and change nothing
    if the file is not one of ours or the database already holds content."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ArchiveError(f"{path} is not an archive made by export_archive.") from error
    with archive:
        try:
            manifest = json.loads(archive.read("manifest.json"))
            fixture = archive.read("archive.xml")
        except (KeyError, ValueError) as error:
            raise ArchiveError(f"{path} is not an archive made by export_archive.") from error
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise ArchiveError(f"{path} is not an archive this version can read.")
        for label in CONTENT:
            if apps.get_model(label).objects.exists():
                raise ArchiveError(
                    "The database already holds content or users; restore into an empty "
                    "one (migrated, with no users created yet)."
                )
        media = [(info, _safe_media_name(info.filename)) for info in archive.infolist()]
        if any(name is None for info, name in media if info.filename.startswith("media")):
            raise ArchiveError(f"{path} names a file outside the media folder.")
        with tempfile.TemporaryDirectory() as folder:
            staged = Path(folder) / "archive.xml"  # loaddata knows the format by its suffix
            staged.write_bytes(fixture)
            with transaction.atomic():
                call_command("loaddata", str(staged), verbosity=0)
                # The search index and the page cache follow what was restored.
                published_content_changed.send(
                    sender=Issue, issue_ids=set(Issue.objects.values_list("pk", flat=True))
                )
        restored = 0
        for info, name in media:
            if name is None or info.is_dir():
                continue
            name = name.as_posix()
            if default_storage.exists(name):
                default_storage.delete(name)
            saved = default_storage.save(name, ContentFile(archive.read(info)))
            if saved != name:
                raise ArchiveError(f"The media storage kept {name} as {saved}.")
            restored += 1
    return {**manifest, "media": restored}
