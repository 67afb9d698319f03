"""Photos and other images, cleaned on the server before anything keeps them (PH-4).

`clean_image(data)` returns a new image re-encoded from the decoded pixels, so no EXIF, GPS,
maker notes, XMP, thumbnails, comments, colour profiles or trailing bytes survive; or raises
`Refused` with a message a carer can act on. Nothing the browser says about the file is
believed: the type is read from the bytes themselves (decision 0044).

In order, before a single pixel is decoded:

1. the byte limit (SAFECARE_UPLOAD_MAX_BYTES) and an empty file;
2. the type, from the file's first bytes: JPEG, PNG, WebP or HEIC/HEIF, nothing else; a
   name or declared type that says otherwise is refused ("The file says it is … but it is …");
3. the container walked to its end: PNG chunks to IEND (with their checksums), JPEG segments
   to the end of the picture, the RIFF size of a WebP, the boxes of a HEIF file. Bytes after
   the end (a zip appended: a polyglot), a zip or PDF signature inside the metadata, or a
   PDF header where a PDF reader would find it, are refused; a file that stops early is
   refused as incomplete;
4. Pillow reads the header and its format must be the one the bytes said; the width, height
   and their product are checked against SAFECARE_IMAGE_MAX_SIDE and SAFECARE_IMAGE_MAX_PIXELS
   (also set as Pillow's own MAX_IMAGE_PIXELS, so Pillow refuses a bomb by itself too).

Then the pixels are decoded (a truncated file is an error, never padded), turned upright
from the EXIF orientation, converted to sRGB, copied into a new image that carries nothing
else, made no larger than SAFECARE_PHOTO_STORED_SIDE, and saved: JPEG (quality 88) for every
image, except PNG for one whose transparency is used (a drawing, a logo), where JPEG would
fill it with black.
"""

from __future__ import annotations

import io
import os
import struct
import warnings
import zlib
from dataclasses import dataclass

import pillow_heif
from django.conf import settings
from PIL import Image, ImageCms, ImageFile, ImageOps

# Nothing partial is ever decoded: a truncated file raises (this is Pillow's default; kept so).
ImageFile.LOAD_TRUNCATED_IMAGES = False

_heif_registered = False


def _register_heif() -> None:
    global _heif_registered
    if not _heif_registered:
        pillow_heif.register_heif_opener(thumbnails=False)
        _heif_registered = True


_register_heif()

JPEG_QUALITY = 88

JPEG, PNG, WEBP, HEIF = "JPEG", "PNG", "WEBP", "HEIF"
ACCEPTED = (JPEG, PNG, WEBP, HEIF)
ACCEPTED_TEXT = "The photo must be a JPEG, PNG, HEIC or WebP file"
# What a carer is told each kind of file is.
NAMES = {
    JPEG: "a JPEG photo",
    PNG: "a PNG picture",
    WEBP: "a WebP picture",
    HEIF: "a HEIC photo",
    "PDF": "a PDF document",
    "GIF": "a GIF",
    "SVG": "an SVG drawing",
    "HTML": "a web page",
    "ZIP": "a zip or office document",
    "OLE": "an office document",
    "BMP": "a BMP picture",
    "TIFF": "a TIFF picture",
    "AVIF": "an AVIF picture",
    "RTF": "a Word (RTF) document",
    "TEXT": "a text file",
}
# A name's ending, or a declared MIME type, and the kind it claims.
EXTENSIONS = {
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".jpe": JPEG,
    ".jfif": JPEG,
    ".png": PNG,
    ".webp": WEBP,
    ".heic": HEIF,
    ".heif": HEIF,
    ".hif": HEIF,
    ".pdf": "PDF",
    ".gif": "GIF",
    ".svg": "SVG",
    ".svgz": "SVG",
    ".html": "HTML",
    ".htm": "HTML",
    ".zip": "ZIP",
    ".docx": "ZIP",
    ".xlsx": "ZIP",
    ".odt": "ZIP",
    ".doc": "OLE",
    ".xls": "OLE",
    ".bmp": "BMP",
    ".tif": "TIFF",
    ".tiff": "TIFF",
    ".avif": "AVIF",
    ".rtf": "RTF",
    ".txt": "TEXT",
}
MIME_TYPES = {
    "image/jpeg": JPEG,
    "image/jpg": JPEG,
    "image/pjpeg": JPEG,
    "image/png": PNG,
    "image/webp": WEBP,
    "image/heic": HEIF,
    "image/heif": HEIF,
    "image/heic-sequence": HEIF,
    "image/heif-sequence": HEIF,
    "application/pdf": "PDF",
    "image/gif": "GIF",
    "image/svg+xml": "SVG",
    "text/html": "HTML",
    "application/zip": "ZIP",
    "image/bmp": "BMP",
    "image/tiff": "TIFF",
    "image/avif": "AVIF",
    "application/rtf": "RTF",
    "text/plain": "TEXT",
}
CONTENT_TYPES = {JPEG: "image/jpeg", PNG: "image/png"}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"heif"}
# Another format hidden in an image's metadata makes the file two things at once (a polyglot).
FOREIGN_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x01\x02", b"%PDF-")
# PDF readers look for their header in the first kilobyte, whatever comes before it.
PDF_HEADER_WINDOW = 1024


class Refused(ValueError):
    """The file is not accepted; `str(error)` says why in plain English."""


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    content_type: str  # image/jpeg, or image/png where transparency is used
    width: int
    height: int


# Messages ---------------------------------------------------------------------------------------


def _megabytes(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MB"


def _too_big_bytes() -> Refused:
    limit = settings.SAFECARE_UPLOAD_MAX_BYTES
    return Refused(f"The photo is too large: it must be smaller than {_megabytes(limit)}")


def _too_big_pixels() -> Refused:
    pixels = settings.SAFECARE_IMAGE_MAX_PIXELS
    side = settings.SAFECARE_IMAGE_MAX_SIDE
    return Refused(
        f"The photo is too large: it must be no more than {pixels / 1_000_000:g} megapixels "
        f"and {side:,} pixels on each side. Make it smaller on your phone or computer and try again"
    )


def _incomplete() -> Refused:
    return Refused("The photo is incomplete or damaged: it may not have finished uploading. Choose it again")


def _attached() -> Refused:
    return Refused(
        "The photo has something else attached to it, so it cannot be accepted. "
        "Save it again as a plain photo (or take a screenshot of it) and upload that"
    )


# What the bytes are -------------------------------------------------------------------------------


def sniff(data: bytes) -> str:
    """The kind of file the first bytes say this is ("" when unknown)."""
    head = data[:64]
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(PNG_SIGNATURE):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp":
        brands = _ftyp_brands(data)
        if b"avif" in brands[:1] or b"avis" in brands[:1]:
            return "AVIF"
        if brands[:1] and brands[0] in HEIF_BRANDS:
            return HEIF
        return ""
    if head.startswith(b"%PDF-"):
        return "PDF"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "ZIP"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "OLE"
    if head.startswith(b"{\\rtf"):
        return "RTF"
    if head.startswith(b"BM"):
        return "BMP"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "TIFF"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<svg", b"<?xml")) and b"<svg" in data[:4096].lower():
        return "SVG"
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")):
        return "HTML"
    return ""


def _ftyp_brands(data: bytes) -> list[bytes]:
    """The major brand, then the compatible brands, of an ISO-BMFF file."""
    if len(data) < 16:
        return []
    size = struct.unpack(">I", data[:4])[0]
    size = min(max(size, 16), len(data), 4096)
    brands = [data[8:12]]
    brands += [data[i : i + 4] for i in range(16, size - 3, 4)]
    return brands


def declared_kind(declared_type: str = "", filename: str = "") -> str:
    """What the name or the declared type claims ("" when it claims nothing we know)."""
    kind = MIME_TYPES.get(declared_type.split(";")[0].strip().lower(), "")
    if not kind and filename:
        kind = EXTENSIONS.get(os.path.splitext(filename.strip())[1].lower(), "")
    return kind


# Walking the container to its end ------------------------------------------------------------------


def _check_foreign(metadata: bytes) -> None:
    if any(signature in metadata for signature in FOREIGN_SIGNATURES):
        raise _attached()


def _walk_png(data: bytes) -> tuple[int, int]:
    """Every chunk to IEND, checksums checked; (width, height) from IHDR."""
    at = len(PNG_SIGNATURE)
    size: tuple[int, int] | None = None
    while True:
        if at + 12 > len(data):
            raise _incomplete()
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        end = at + 12 + length
        if length > 2**31 - 1 or end > len(data):
            raise _incomplete()
        body = data[at + 8 : end - 4]
        if zlib.crc32(kind + body) != struct.unpack(">I", data[end - 4 : end])[0]:
            raise Refused("The photo is damaged: choose it again, or save it again and upload that")
        if size is None:
            if kind != b"IHDR" or length != 13:
                raise _incomplete()
            size = struct.unpack(">II", body[:8])
        if kind not in (b"IDAT", b"fdAT"):
            _check_foreign(body)
        at = end
        if kind == b"IEND":
            break
    if at != len(data):
        raise _attached()
    return size


def _walk_jpeg(data: bytes) -> None:
    """Segments to the end of the picture (EOI). After it, only more complete JPEG pictures
    (the second images of a Multi-Picture file: a phone's gain or depth map, which the
    re-encoding drops) or zero padding are allowed; anything else is attached to the photo."""
    end = _jpeg_end(data, 0)
    while end < len(data):
        rest = data[end:]
        if not rest.strip(b"\x00"):
            return
        if not rest.startswith(b"\xff\xd8\xff"):
            raise _attached()
        end = _jpeg_end(data, end)


def _jpeg_end(data: bytes, start: int) -> int:
    at = start + 2  # after SOI
    size = len(data)
    while True:
        if at + 2 > size:
            raise _incomplete()
        if data[at] != 0xFF:
            raise _incomplete()
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == 0xD9:  # EOI
            return at + 2
        if 0xD0 <= marker <= 0xD7 or marker in (0x01, 0xD8):
            at += 2
            continue
        if at + 4 > size:
            raise _incomplete()
        length = struct.unpack(">H", data[at + 2 : at + 4])[0]
        if length < 2 or at + 2 + length > size:
            raise _incomplete()
        _check_foreign(data[at + 4 : at + 2 + length])
        at += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data to the next real marker
            while True:
                found = data.find(b"\xff", at)
                if found < 0 or found + 1 >= size:
                    raise _incomplete()
                following = data[found + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                    at = found + (2 if following != 0xFF else 1)
                    continue
                at = found
                break


def _walk_webp(data: bytes) -> None:
    riff = struct.unpack("<I", data[4:8])[0]
    end = 8 + riff
    if end > len(data) or riff < 4:
        raise _incomplete()
    at = 12
    while at < end:
        if at + 8 > end:
            raise _incomplete()
        kind, length = struct.unpack("<4sI", data[at : at + 8])
        chunk_end = at + 8 + length + (length & 1)
        if at + 8 + length > end:
            raise _incomplete()
        if kind not in (b"VP8 ", b"VP8L", b"ALPH", b"ANMF"):
            _check_foreign(data[at + 8 : at + 8 + length])
        at = chunk_end
    if len(data) > end + (riff & 1):
        raise _attached()


def _walk_heif(data: bytes) -> None:
    """Top-level boxes must fill the file exactly: nothing after the last one."""
    at = 0
    size = len(data)
    while at < size:
        if at + 8 > size:
            raise _attached()
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        if length == 1:
            if at + 16 > size:
                raise _incomplete()
            length = struct.unpack(">Q", data[at + 8 : at + 16])[0]
        elif length == 0:
            length = size - at
        if length < 8 or kind not in BOXES:
            raise _attached()
        if at + length > size:
            raise _incomplete()
        if kind != b"mdat":
            _check_foreign(data[at + 8 : at + length])
        at += length


# The boxes an ISO-BMFF file may have at its top level.
BOXES = {
    b"ftyp",
    b"meta",
    b"mdat",
    b"free",
    b"skip",
    b"moov",
    b"uuid",
    b"idat",
    b"moof",
    b"mfra",
    b"styp",
    b"sidx",
    b"wide",
    b"pdin",
    b"meco",
    b"etyp",
    b"otyp",
    b"ssix",
    b"prft",
}

WALKERS = {PNG: _walk_png, JPEG: _walk_jpeg, WEBP: _walk_webp, HEIF: _walk_heif}


# Cleaning ----------------------------------------------------------------------------------------


def identify(data: bytes, *, declared_type: str = "", filename: str = "") -> str:
    """The accepted kind of this file, or Refused: every check made before decoding."""
    if not data:
        raise Refused("The file is empty: choose the photo again")
    if len(data) > settings.SAFECARE_UPLOAD_MAX_BYTES:
        raise _too_big_bytes()
    kind = sniff(data)
    claimed = declared_kind(declared_type, filename)
    if claimed and kind and claimed != kind:
        raise Refused(
            f"The file says it is {NAMES[claimed]} but it is {NAMES[kind]}. "
            "Choose the photo itself, or save it again as a photo"
        )
    if kind not in ACCEPTED:
        if claimed in ACCEPTED and not kind:
            raise Refused(f"The file says it is {NAMES[claimed]} but it is not. {ACCEPTED_TEXT}")
        raise Refused(ACCEPTED_TEXT)
    if b"%PDF-" in data[:PDF_HEADER_WINDOW]:
        raise _attached()
    size = WALKERS[kind](data)
    if size is not None:
        _check_pixels(*size)
    return kind


def _check_pixels(width: int, height: int) -> None:
    if width < 1 or height < 1:
        raise _incomplete()
    if width > settings.SAFECARE_IMAGE_MAX_SIDE or height > settings.SAFECARE_IMAGE_MAX_SIDE:
        raise _too_big_pixels()
    if width * height > settings.SAFECARE_IMAGE_MAX_PIXELS:
        raise _too_big_pixels()


def clean_image(data: bytes, *, declared_type: str = "", filename: str = "") -> CleanImage:
    """The image re-encoded from its pixels alone, or Refused.

    `declared_type` (the upload's content type) and `filename` are optional: when given and
    they name a kind of file the content is not, the file is refused; they are never used to
    decide what the file is.
    """
    kind = identify(data, declared_type=declared_type, filename=filename)
    Image.MAX_IMAGE_PIXELS = settings.SAFECARE_IMAGE_MAX_PIXELS
    stored_side = settings.SAFECARE_PHOTO_STORED_SIDE
    try:
        with warnings.catch_warnings():
            # Pillow warns between MAX_IMAGE_PIXELS and twice that: an error here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[kind]) as opened:
                if (opened.format or "") != kind:
                    raise Refused(ACCEPTED_TEXT)
                _check_pixels(*opened.size)
                if kind == JPEG:
                    opened.draft("RGB", (stored_side, stored_side))  # decode at a smaller scale
                opened.seek(0)  # an animation: its first picture
                opened.load()
                pixels = _pixels_only(opened)
    except Refused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_big_pixels() from error
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, MemoryError) as error:
        raise Refused(
            "The photo cannot be read: it may be damaged or not finished uploading. "
            "Choose it again, or save it again as a JPEG and upload that"
        ) from error
    pixels.thumbnail((stored_side, stored_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if pixels.mode == "RGBA":
        pixels.save(out, format="PNG", optimize=False, compress_level=6)
        content_type = "image/png"
    else:
        pixels.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        content_type = "image/jpeg"
    return CleanImage(out.getvalue(), content_type, pixels.width, pixels.height)


_SRGB = ImageCms.createProfile("sRGB")


def _pixels_only(image: Image.Image) -> Image.Image:
    """Upright, sRGB, and a new image holding the pixels and nothing else."""
    icc = image.info.get("icc_profile")
    try:
        upright = ImageOps.exif_transpose(image)
    except Exception:  # an unreadable orientation: the picture as it is
        upright = image
    transparent = _uses_transparency(upright)
    target = "RGBA" if transparent else ("L" if upright.mode in ("1", "L", "I;16", "I") else "RGB")
    if upright.mode.startswith("I"):  # 16 bits a sample: down to 8
        upright = upright.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if icc and upright.mode in ("RGB", "RGBA", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            mode = "RGB" if upright.mode == "CMYK" else upright.mode
            upright = ImageCms.profileToProfile(upright, source, _SRGB, outputMode=mode) or upright
        except Exception:  # noqa: S110 - a broken profile: the pixels as they are
            pass
    converted = upright.convert(target)
    fresh = Image.new(target, converted.size)
    fresh.paste(converted)
    return fresh


def _uses_transparency(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        alpha = image.convert("RGBA").getchannel("A")
        low = alpha.getextrema()[0]
        return isinstance(low, int) and low < 255
    return False
