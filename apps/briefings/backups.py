"""Backups that run themselves, and a drill that proves they restore.

`backup` writes the archive (`apps.briefings.archive`) into the backups storage — a
private bucket (BACKUP_BUCKET_NAME) or a folder (BACKUP_DIR), never the public media
bucket: a backup holds users' password hashes — as `briefs-archive-<UTC time>.zip`, with
a fingerprint of a fixed set of public pages as they were, and keeps the newest
BACKUP_KEEP. `restore_drill` restores the newest backup into a scratch database (a
database of its own on PostgreSQL, a file on SQLite; media into a scratch folder), renders
the same pages there and compares them with the fingerprints. Both are background jobs
(`apps.background`): `manage.py backup_archive` and `manage.py restore_drill` run them
(from cron or a systemd timer), the admin's Background jobs page queues them for a
worker, and each run's result is kept there.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import connection
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from apps.agencies.models import Agency
from apps.background import jobs
from apps.background.models import Job
from apps.people.models import Person

from .archive import export_archive
from .models import Issue

PREFIX = "briefs-archive-"
ISSUES_COMPARED = 5  # the newest issues, each with its stories, beside the site's indexes


def backup_storage():
    return storages["backups"]


def backup_names() -> list[str]:
    """The backups kept, newest first (their names hold their UTC time)."""
    try:
        _, files = backup_storage().listdir("")
    except FileNotFoundError:  # no folder yet
        return []
    return sorted((f for f in files if f.startswith(PREFIX) and f.endswith(".zip")), reverse=True)


def start(kind: str, user=None, *, queue: bool = True) -> Job:
    """A backup or drill job: queued for a worker, or (`queue=False`) to run at once."""
    job = Job(kind=kind, title=Job.Kind(kind).label, created_by=user)
    if queue:
        return jobs.start(job)
    job.save()
    return job


def compared_pages() -> list[str]:
    """The public pages a backup fingerprints: as many whatever the archive's size."""
    urls = ["/", "/issues/", "/agencies/", "/people/", "/sitemap.xml", "/feeds/rss/",
            "/feeds/atom/"]  # fmt: skip
    newest = Issue.objects.published().order_by("-publication_date", "-id")
    for issue in newest.prefetch_related("stories")[:ISSUES_COMPARED]:
        urls.append(issue.get_absolute_url())
        urls += [story.get_absolute_url() for story in issue.stories.all()]
    urls += [agency.get_absolute_url() for agency in Agency.objects.order_by("pk")[:3]]
    urls += [person.get_absolute_url() for person in Person.objects.order_by("pk")[:3]]
    return urls


def page_fingerprints(urls: list[str]) -> dict[str, str]:
    """Each page's status and SHA-256, rendered as a reader over https gets it."""
    host = next((h for h in settings.ALLOWED_HOSTS if h[:1] not in (".", "*")), "testserver")
    client = Client(SERVER_NAME=host)
    found = {}
    for url in urls:
        response = client.get(url, secure=True)
        found[url] = f"{response.status_code}:{hashlib.sha256(response.content).hexdigest()}"
    return found


def backup(job: Job, progress) -> dict:
    progress.begin("Writing the archive")
    moment = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    name = f"{PREFIX}{moment}.zip"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        manifest = export_archive(path, extra={"pages": page_fingerprints(compared_pages())})
        progress.begin("Storing it")
        with path.open("rb") as file:
            stored = backup_storage().save(name, File(file))
        size = path.stat().st_size
    removed = []
    for old in backup_names()[settings.BACKUP_KEEP :]:
        backup_storage().delete(old)
        removed.append(old)
    return {
        "backup": stored,
        "bytes": size,
        "records": manifest["objects"],
        "media": manifest["media"],
        "pages": len(manifest["pages"]),
        "removed": removed,
    }


def restore_drill(job: Job, progress) -> dict:
    names = backup_names()
    if not names:
        raise jobs.Refused([jobs.error("There is no backup to restore yet: run a backup.")])
    newest = names[0]
    progress.begin(f"Restoring {newest} into a scratch database")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / newest
        with backup_storage().open(newest, "rb") as source, path.open("wb") as copy:
            for chunk in source.chunks():
                copy.write(chunk)
        with zipfile.ZipFile(path) as archive:
            expected = json.loads(archive.read("manifest.json")).get("pages", {})
        with scratch_database(Path(folder)) as url:
            env = {
                **os.environ,
                "DATABASE_URL": url,
                # Nothing of the live site is touched: media into a scratch folder, no
                # shared cache, no replicas.
                "MEDIA_ROOT": str(Path(folder) / "media"),
                "AWS_STORAGE_BUCKET_NAME": "",
                "REDIS_URL": "",
                "DATABASE_REPLICA_URLS": "",
                "PAGE_CACHE": "false",
            }
            _manage(env, "migrate", "--noinput")
            _manage(env, "import_archive", str(path))
            progress.begin("Comparing pages")
            found = json.loads(_manage(env, "page_fingerprints", json.dumps(list(expected))))
    different = sorted(url for url in expected if found.get(url) != expected[url])
    if different:
        raise jobs.Refused([
            jobs.error(f"{url} differs from the page when {newest} was made.")
            for url in different
        ])  # fmt: skip
    return {"backup": newest, "pages": len(expected), "same": len(expected)}


def _manage(env, *args) -> str:
    result = subprocess.run([sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
                            env=env, capture_output=True, text=True, timeout=3600)  # fmt: skip
    if result.returncode:
        raise RuntimeError(f"manage.py {args[0]} failed in the scratch database:\n"
                           f"{result.stderr[-2000:]}")  # fmt: skip
    return result.stdout


@contextlib.contextmanager
def scratch_database(folder: Path):
    """An empty database beside the live one, dropped afterwards; its URL."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{folder / 'drill.sqlite3'}"
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_drill_{get_random_string(6).lower()}"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        user = quote(db["USER"], safe="")
        if db["PASSWORD"]:
            user += ":" + quote(db["PASSWORD"], safe="")
        yield f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
