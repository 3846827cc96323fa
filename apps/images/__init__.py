"""Resized WebP renditions of uploaded images, for `srcset`, and checked uploads.

A rendition's name is made from its image's whole file name, which the storage never gives
to two files: so an image's renditions are found by name, and once made are never made
again. Making them takes seconds for a large image, so it is done by a background job
(`apps.briefings.heroes`), not while the editor waits.
"""

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
    return str(path.parent / "renditions" / f"{path.name}-{width}w.webp")


def rendition_widths(original_width: int | None) -> list[int]:
    """The widths made for an image: the standard ones narrower than the original."""
    if not original_width:
        return []
    return [width for width in WIDTHS if width < original_width]


def renditions_made(storage, name: str, original_width: int | None) -> bool:
    """Whether every rendition of the image `name` is in `storage`."""
    return all(
        storage.exists(rendition_name(name, width)) for width in rendition_widths(original_width)
    )


def make_renditions(storage, name: str) -> list[int]:
    """Write each rendition of the image `name` that `storage` does not hold yet; the
    widths of all its renditions."""
    with storage.open(name, "rb") as file, Image.open(file) as image:
        image.load()
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    widths = rendition_widths(image.width)
    for width in widths:
        rendition = rendition_name(name, width)
        if storage.exists(rendition):
            continue
        height = round(image.height * width / image.width)
        buffer = io.BytesIO()
        image.resize((width, height), Image.Resampling.LANCZOS).save(
            buffer, "WEBP", quality=80, method=4
        )
        saved = storage.save(rendition, ContentFile(buffer.getvalue()))
        if saved != rendition:  # another job wrote it meanwhile: keep one
            storage.delete(saved)
    return widths


def srcset(field_file, original_width: int | None, with_renditions: bool = True) -> str:
    """The image's `srcset`: its renditions (where they are made) and the original."""
    storage = field_file.storage
    widths = rendition_widths(original_width) if with_renditions else []
    sources = [
        f"{storage.url(rendition_name(field_file.name, width))} {width}w" for width in widths
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
