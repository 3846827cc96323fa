"""Resized WebP renditions of uploaded images, made once on save, for `srcset`."""

import io
import warnings
from pathlib import PurePosixPath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from PIL import Image, UnidentifiedImageError

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


# Uploaded images: a real JPEG, PNG or WebP of at most 20 MB and 40 megapixels. Pillow's
# decompression-bomb guard is set to the same limit (it errors at twice it).
MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def check_upload(upload) -> None:
    """Raise ValidationError with a clear message unless the upload is an acceptable image."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            f"The image is {upload.size / 1024 / 1024:.1f} MB; it can be at most 20 MB."
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns past MAX_PIXELS and refuses past twice that; the pixel count is
            # checked here, from the header, before anything is decoded.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.format not in FORMATS:
                    raise ValidationError(
                        f"Upload a JPEG, PNG or WebP image; this one is {image.format}."
                    )
                pixels = image.width * image.height
                if pixels > MAX_PIXELS:
                    raise _too_many_pixels(pixels)
                image.load()  # decodes the whole image: finds truncated files
    except Image.DecompressionBombError as error:
        raise _too_many_pixels(None) from error
    except UnidentifiedImageError as error:
        raise ValidationError(
            "Upload a JPEG, PNG or WebP image; this file is not an image."
        ) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            "The image file is incomplete or damaged; export it again and upload that."
        ) from error
    finally:
        upload.seek(0)


def _too_many_pixels(pixels):
    size = f" is {pixels / 1e6:.0f} megapixels; it" if pixels else ""
    return ValidationError(f"The image{size} can be at most 40 megapixels.")


class CheckedImageFormField(forms.ImageField):
    def to_python(self, data):
        if data:
            check_upload(data)
        return super().to_python(data)


class CheckedImageField(models.ImageField):
    """An ImageField whose uploads pass `check_upload` with its clear messages."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CheckedImageFormField, **kwargs})
