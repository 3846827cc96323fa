import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_file(name, width, height, format=None):
    """A real image of the given size, as an upload."""
    format = format or {"png": "PNG", "jpg": "JPEG", "webp": "WEBP"}[name.rsplit(".", 1)[1]]
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (140, 26, 26)).save(buffer, format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{format.lower()}")
