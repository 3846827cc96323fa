"""Hero images' renditions (`apps.images`), made by a background job after the upload.

Saving an issue with a new hero image queues a job once the save commits
(`make_renditions_later`); until it is done, the page's `srcset` lists only the original.
The job writes the renditions to the media storage, marks the issues that show the image
(`Issue.hero_renditions_of`) and tells the page cache, so the next request's page lists
them. An image shown before (an earlier revision's, a pending change's) finds the
renditions it had by name (`images.renditions_made`) and needs no job.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from PIL import UnidentifiedImageError

from apps import images
from apps.background import jobs
from apps.background.models import Job

from . import rendering
from .models import Issue
from .signals import published_content_changed


def make_renditions_later(name: str) -> None:
    """Queue a job making the renditions of the hero image `name`, once the current
    transaction commits, unless one is queued or running already."""
    transaction.on_commit(lambda: _start(name))


def _start(name: str) -> None:
    waiting = Job.objects.filter(
        kind=Job.Kind.RENDITIONS,
        status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
        options__image=name,
    )
    if not waiting.exists():
        title = f"Image sizes of {name}"[:300]
        jobs.start(Job(kind=Job.Kind.RENDITIONS, title=title, options={"image": name}))


def storage():
    return Issue._meta.get_field("hero_image").storage


def make_renditions(job: Job, progress) -> dict:
    """The job: make the image's renditions, then list them on the pages that show it."""
    name = job.options["image"]
    progress.begin("Making the image’s sizes")
    try:
        widths = images.make_renditions(storage(), name)
    except Unreadable as problem:
        raise jobs.Refused([jobs.error(unreadable(name, problem))]) from problem
    return {"widths": widths, "issues": mark_made(name)}


Unreadable = (UnidentifiedImageError, OSError, SyntaxError, ValueError)


def unreadable(name: str, problem: Exception) -> str:
    if isinstance(problem, FileNotFoundError):
        return f"The image {name} is no longer in the media storage."
    return f"The image {name} could not be read ({problem})."


def mark_made(name: str) -> int:
    """List the renditions of `name` on the pages of the issues that show it; how many."""
    with transaction.atomic():
        showing = Issue.objects.select_for_update().filter(hero_image=name)
        ids = list(showing.exclude(hero_renditions_of=name).values_list("pk", flat=True))
        if ids:
            Issue.objects.filter(pk__in=ids).update(
                hero_renditions_of=name, **rendering.out_of_date()
            )
            published_content_changed.send(sender=Issue, issue_ids=set(ids))
    return len(ids)


def make_missing(out=None) -> int:
    """Make, here and now, the renditions of every hero image whose pages lack them (after
    restoring an archive made before renditions were kept by name); how many images."""
    names = (
        Issue.objects.exclude(hero_image="")
        .exclude(hero_renditions_of=F("hero_image"))
        .values_list("hero_image", flat=True)
        .order_by("hero_image")
        .distinct()
    )
    count = 0
    for name in names:
        try:
            images.make_renditions(storage(), name)
        except Unreadable as problem:
            if out is not None:
                out.write(unreadable(name, problem))
            continue
        mark_made(name)
        count += 1
        if out is not None:
            out.write(f"Made the sizes of {name}.")
    return count
