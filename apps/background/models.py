from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import get_text_list


class Job(models.Model):
    """One piece of background work, as the person who asked for it follows it: queued,
    running (stage and rows done), then done with its result or failed with its errors."""

    class Kind(models.TextChoices):
        IMPORT = "import", "Spreadsheet import"
        BACKUP = "backup", "Backup of the archive"
        DRILL = "drill", "Restore drill"
        RENDITIONS = "renditions", "Image sizes"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written every few seconds while it runs: a job whose heartbeat stops lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True, db_index=True)
    worker_id = models.CharField(max_length=64, blank=True)
    stage = models.CharField(max_length=100, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    # What the work needs: for imports, the resource, the file's format and name.
    options = models.JSONField(default=dict, blank=True)
    # The uploaded file, in the database (private, and seen by workers on any machine);
    # emptied once the import has succeeded.
    data = models.BinaryField(blank=True, default=b"", editable=False)
    result = models.JSONField(default=dict, blank=True)
    # [{"row": 3, "column": "kind", "message": "…"}]; row and column may be null.
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("admin:background_job_change", args=[self.pk])

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def summary(self) -> str:
        """Where it stands, in a few words, for the list of jobs."""
        result = self.result
        if self.status == self.Status.RUNNING:
            if self.total:
                return f"{self.stage or 'Running'}: {self.done:,} of {self.total:,} rows"
            return self.stage or "Starting"
        if self.status == self.Status.FAILED:
            count = len(self.errors)
            saved = "; nothing saved" if self.kind == self.Kind.IMPORT else ""
            return f"{count} problem{'s' if count != 1 else ''}{saved}"
        if self.status == self.Status.DONE and self.kind == self.Kind.IMPORT:
            return (f"{result.get('new', 0):,} new, {result.get('update', 0):,} changed, "
                    f"{result.get('skip', 0):,} unchanged")  # fmt: skip
        if self.status == self.Status.DONE and self.kind == self.Kind.BACKUP:
            return f"Stored {result.get('backup', '')}"
        if self.status == self.Status.DONE and self.kind == self.Kind.DRILL:
            return f"All {result.get('pages', 0)} pages the same"
        if self.status == self.Status.DONE and self.kind == self.Kind.RENDITIONS:
            widths = [str(width) for width in result.get("widths", [])]
            if not widths:
                return "Small enough to need no other sizes"
            return f"Made sizes {get_text_list(widths, 'and')} px wide"
        return self.stage or "Waiting for a worker"

    @property
    def percent(self):
        if not self.total:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.done / self.total))
