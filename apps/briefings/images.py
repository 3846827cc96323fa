"""Resized WebP renditions of uploaded images, made once on save, for `srcset`."""

import io
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from PIL import Image

WIDTHS = (480, 960, 1600)


def rendition_name(name: str, width: int) -> str:
    path = PurePosixPath(name)
    return str(path.parent / "renditions" / f"{path.stem}-{width}w.webp")


def rendition_widths(original_width: int | None) -> list[int]:
    """The widths made for an image: the standard ones narrower than the original."""
    if not original_width:
        return []
    return [width for width in WIDTHS if width < original_width]


def make_renditions(field_file) -> None:
    """Write a WebP rendition of each width narrower than the image."""
    storage = field_file.storage
    field_file.open("rb")
    try:
        with Image.open(field_file) as image:
            image.load()
    finally:
        field_file.close()
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    for width in rendition_widths(image.width):
        height = round(image.height * width / image.width)
        buffer = io.BytesIO()
        image.resize((width, height), Image.Resampling.LANCZOS).save(
            buffer, "WEBP", quality=80, method=4
        )
        name = rendition_name(field_file.name, width)
        if storage.exists(name):
            storage.delete(name)
        storage.save(name, ContentFile(buffer.getvalue()))


def srcset(field_file, original_width: int | None) -> str:
    storage = field_file.storage
    sources = [
        f"{storage.url(rendition_name(field_file.name, width))} {width}w"
        for width in rendition_widths(original_width)
    ]
    return ", ".join([*sources, f"{field_file.url} {original_width}w"])
