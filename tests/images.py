import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_file(name, width, height, format=None):
    """A real image of the given size, as an upload."""
    format = format or {"png": "PNG", "jpg": "JPEG", "webp": "WEBP"}[name.rsplit(".", 1)[1]]
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (140, 26, 26)).save(buffer, format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{format.lower()}")


def run_jobs():
    """Run the background jobs queued so far (image sizes among them), as a worker's tasks
    do. A save in a test's transaction queues its job only inside
    `django_capture_on_commit_callbacks(execute=True)`."""
    from apps.background import jobs
    from apps.background.models import Job

    for pk in Job.objects.filter(status=Job.Status.QUEUED).values_list("pk", flat=True):
        jobs.run(pk)
