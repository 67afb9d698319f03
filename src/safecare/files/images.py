"""Photos and other images, cleaned on the server before anything keeps them (PH-4).

`clean_image(data)` returns a new image re-encoded from the decoded pixels, so no EXIF, GPS,
maker notes, thumbnails, comments or trailing bytes survive; or raises `Refused` with a message
a carer can act on. Nothing the browser says about the file (its name, its type) is believed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, ImageOps


class Refused(ValueError):
    """The file is not accepted; `str(error)` says why in plain English."""


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    content_type: str
    width: int
    height: int


def clean_image(data: bytes) -> CleanImage:
    if len(data) > settings.SAFECARE_UPLOAD_MAX_BYTES:
        raise Refused("The file is too big")
    try:
        with Image.open(io.BytesIO(data), formats=["JPEG", "PNG", "WEBP"]) as image:
            if image.width * image.height > settings.SAFECARE_IMAGE_MAX_PIXELS:
                raise Refused("The picture is too large")
            image.load()
            image = ImageOps.exif_transpose(image)
            rgb = image.convert("RGB")
    except (OSError, Image.DecompressionBombError, SyntaxError) as error:
        raise Refused("The file is not a photo we can read: use a JPEG, PNG, HEIC or WebP photo") from error
    out = io.BytesIO()
    rgb.save(out, format="JPEG", quality=90)
    return CleanImage(out.getvalue(), "image/jpeg", rgb.width, rgb.height)
