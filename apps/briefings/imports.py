"""Spreadsheet imports as background jobs (`apps.background`), for files too large to
import within a web request: the admin's import page hands a file over IMPORT_BACKGROUND_KB
to a worker, which imports it as the admin would — through the same resource, all or
nothing, as the person who uploaded it — and reports rows done and any errors by row and
column on the job's page."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.formats import number_format

from apps.background import jobs
from apps.background.models import Job

from .formats import FORMATS, TooManyRows
from .resources import (
    AgencyResource,
    NoteworthyItemResource,
    PersonResource,
    PolicyDocumentResource,
    StoryResource,
)

RESOURCES = {
    "agencies": AgencyResource,
    "people": PersonResource,
    "documents": PolicyDocumentResource,
    "stories": StoryResource,
    "noteworthy": NoteworthyItemResource,
}


def limits() -> str:
    """The limits on an import, as the import page states them."""
    return (
        f"At most {settings.IMPORT_MAX_BYTES // (1024 * 1024)} MB and "
        f"{number_format(settings.IMPORT_MAX_ROWS, force_grouping=True)} rows. Files over "
        f"{settings.IMPORT_BACKGROUND_BYTES // 1024} KB are imported in the background: "
        "you follow their progress on a page of their own."
    )


def start_import(*, resource_class, file_format, upload, user) -> Job:
    """Queue the import of an uploaded file as a job."""
    key = next(key for key, found in RESOURCES.items() if found is resource_class)
    model = resource_class._meta.model._meta
    job = Job(
        kind=Job.Kind.IMPORT,
        title=f"Import of {model.verbose_name_plural} from {upload.name}"[:300],
        created_by=user,
        options={"resource": key, "format": file_format.__name__, "file_name": upload.name},
        data=b"".join(upload.chunks()),
    )
    return jobs.start(job)


def run_import(job: Job, progress) -> dict:
    """The job's import, all or nothing; its totals, or `Refused` with every bad row."""
    user = job.created_by
    if user is None or not user.is_active:
        raise jobs.Refused([jobs.error("The person who started this import can no longer.")])
    resource_class = RESOURCES[job.options["resource"]]
    (file_format,) = [f() for f in FORMATS if f.__name__ == job.options["format"]]
    progress.begin("Reading the file")
    try:
        data = bytes(job.data)
        if not file_format.is_binary():
            data = data.decode("utf-8-sig")
        dataset = file_format.create_dataset(data)
    except TooManyRows as error:
        raise jobs.Refused([jobs.error(error)]) from error
    except Exception as error:
        raise jobs.Refused([jobs.error(
            f"The file could not be read as {file_format.get_title()} "
            f"({type(error).__name__}). Check the format chosen."
        )]) from error  # fmt: skip
    progress.begin("Checking and saving rows", total=len(dataset))
    result = resource_class().import_data(
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
        user=user,
        file_name=job.options.get("file_name"),
        progress=progress.row,
    )
    progress.row(len(dataset))
    if result.has_errors() or result.has_validation_errors():
        raise jobs.Refused(errors_of(result))
    model = resource_class._meta.model._meta
    return {
        **{kind: result.totals[kind] for kind in ("new", "update", "skip", "delete")},
        "pending": [issue.title for issue in getattr(result, "pending_issues", [])],
        "changelist": reverse(f"admin:{model.app_label}_{model.model_name}_changelist"),
    }


def errors_of(result, limit: int = 500) -> list[dict]:
    """Every problem of an import, by row and column, as a job keeps them."""
    found = [jobs.error(error.error) for error in result.base_errors]
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            column = None if column == "__all__" else column
            found += [jobs.error(m, row=invalid.number, column=column) for m in messages]
    for number, errors in result.row_errors():
        found += [jobs.error(error.error, row=number) for error in errors]
    if len(found) > limit:
        found = [*found[:limit], jobs.error(f"… and {len(found) - limit} more.")]
    return found
