"""PH-4: photos are accepted by their content, checked before decoding, and re-encoded from
their pixels alone. The hostile files are in test_hostile_files.py; the property that no
location survives in test_no_gps.py. The builders here are shared by both.
"""

from __future__ import annotations

import io

import pytest
from PIL import ExifTags, Image

from safecare.files import images
from safecare.files.images import CleanImage, Refused, clean_image

GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (51.0, 30.0, 26.0),
    ExifTags.GPS.GPSLongitudeRef: "W",
    ExifTags.GPS.GPSLongitude: (0.0, 7.0, 39.0),
}
XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b"<rdf:RDF><rdf:Description><exif:GPSLatitude>51,30.4N</exif:GPSLatitude>"
    b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def exif_with(
    *, gps: bool = True, maker_note: bytes = b"", orientation: int = 1, text: str = ""
) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    if text:
        exif[ExifTags.Base.ImageDescription] = text
    if gps:
        exif[ExifTags.IFD.GPSInfo] = dict(GPS)
    if maker_note:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.MakerNote] = maker_note
    return exif


def picture(size: tuple[int, int] = (300, 200), mode: str = "RGB", colour: object = None) -> Image.Image:
    if colour is None:
        colour = {"RGB": (200, 60, 30), "RGBA": (200, 60, 30, 255), "L": 120, "P": 3}.get(mode, 0)
    image = Image.new(mode, size, colour)  # type: ignore[arg-type]
    if mode in ("RGB", "RGBA"):
        image.paste(
            (20, 90, 200) if mode == "RGB" else (20, 90, 200, 255), (0, 0, size[0] // 2, size[1] // 3)
        )
    return image


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def jpeg(size: tuple[int, int] = (300, 200), **options: object) -> bytes:
    return encode(picture(size), "JPEG", **options)


def png(size: tuple[int, int] = (300, 200), mode: str = "RGB", **options: object) -> bytes:
    return encode(picture(size, mode), "PNG", **options)


def decoded(clean: CleanImage) -> Image.Image:
    image = Image.open(io.BytesIO(clean.data))
    image.load()
    return image


@pytest.mark.parametrize(
    ("fmt", "declared"),
    [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp"), ("HEIF", "image/heic")],
)
def test_ph4_each_accepted_kind_is_read_by_its_content_and_kept_as_jpeg(fmt, declared) -> None:
    data = encode(picture(), fmt)

    clean = clean_image(data)  # the positional call, no name or type given
    named = clean_image(data, declared_type=declared, filename=f"photo.{fmt.lower()}")

    assert (clean.content_type, clean.width, clean.height) == ("image/jpeg", 300, 200)
    assert named.content_type == "image/jpeg"
    image = decoded(clean)
    assert image.format == "JPEG"
    assert image.size == (300, 200)
    assert image.getpixel((250, 150)) == pytest.approx((200, 60, 30), abs=12)


def test_ph4_a_photo_larger_than_the_stored_side_is_made_smaller(settings) -> None:
    settings.SAFECARE_PHOTO_STORED_SIDE = 100

    clean = clean_image(jpeg((400, 250)))

    assert (clean.width, clean.height) == (100, 63)
    assert decoded(clean).size == (100, 63)


def test_ph4_the_exif_orientation_is_applied_then_dropped() -> None:
    data = encode(picture((300, 200)), "JPEG", exif=exif_with(orientation=6))

    clean = clean_image(data)

    assert (clean.width, clean.height) == (200, 300)  # turned upright
    assert len(decoded(clean).getexif()) == 0


def test_ph4_transparency_that_is_used_is_kept_as_png() -> None:
    clean = clean_image(encode(picture(mode="RGBA", colour=(0, 0, 0, 0)), "PNG"))

    assert clean.content_type == "image/png"
    image = decoded(clean)
    assert image.mode == "RGBA"
    assert image.getpixel((250, 150))[3] == 0


def test_ph4_an_opaque_picture_with_an_alpha_channel_is_kept_as_jpeg() -> None:
    assert clean_image(png(mode="RGBA")).content_type == "image/jpeg"


@pytest.mark.parametrize(
    ("mode", "fmt"), [("L", "PNG"), ("I;16", "PNG"), ("P", "PNG"), ("CMYK", "JPEG"), ("LA", "PNG")]
)
def test_ph4_other_colour_modes_are_converted(mode, fmt) -> None:
    clean = clean_image(encode(Image.new(mode, (40, 30)), fmt))

    assert decoded(clean).size == (40, 30)


def test_ph4_an_animation_keeps_its_first_picture() -> None:
    first, second = Image.new("RGB", (40, 30), (255, 0, 0)), Image.new("RGB", (40, 30), (0, 0, 255))
    data = encode(first, "WEBP", save_all=True, append_images=[second], lossless=True)

    image = decoded(clean_image(data))

    assert image.getpixel((20, 15)) == pytest.approx((255, 0, 0), abs=8)


def test_ph4_a_name_or_type_that_agrees_is_accepted_and_one_that_does_not_is_refused() -> None:
    assert clean_image(png(), filename="IMG_0001.PNG").content_type == "image/jpeg"
    assert clean_image(png(), filename="scan").content_type == "image/jpeg"  # no claim made
    assert clean_image(jpeg(), declared_type="application/octet-stream").content_type == "image/jpeg"

    with pytest.raises(Refused, match="The file says it is a JPEG photo but it is a PNG picture"):
        clean_image(png(), filename="holiday.jpg")
    with pytest.raises(Refused, match="The file says it is a HEIC photo but it is a JPEG photo"):
        clean_image(jpeg(), declared_type="image/heic")


def test_ph4_pillow_itself_refuses_more_pixels_than_the_limit(settings) -> None:
    settings.SAFECARE_IMAGE_MAX_PIXELS = 1_000_000

    clean_image(jpeg((20, 20)))

    assert Image.MAX_IMAGE_PIXELS == 1_000_000


def test_ph4_the_limits_are_settings(settings) -> None:
    settings.SAFECARE_IMAGE_MAX_PIXELS = 10_000
    with pytest.raises(Refused, match=r"The photo is too large: it must be no more than 0\.01 megapixels"):
        clean_image(jpeg((200, 200)))

    settings.SAFECARE_IMAGE_MAX_PIXELS = 50_000_000
    settings.SAFECARE_IMAGE_MAX_SIDE = 150
    with pytest.raises(Refused, match="150 pixels on each side"):
        clean_image(jpeg((200, 20)))

    settings.SAFECARE_UPLOAD_MAX_BYTES = 100
    with pytest.raises(Refused, match="The photo is too large: it must be smaller than"):
        clean_image(jpeg((20, 20)))


def test_ph4_the_sniffed_kinds() -> None:
    assert images.sniff(jpeg()) == "JPEG"
    assert images.sniff(png()) == "PNG"
    assert images.sniff(encode(picture(), "WEBP")) == "WEBP"
    assert images.sniff(encode(picture(), "HEIF")) == "HEIF"
    assert images.sniff(b"%PDF-1.7\n") == "PDF"
    assert images.sniff(b"GIF89a....") == "GIF"
    assert images.sniff(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>') == "SVG"
    assert images.sniff(b"<!DOCTYPE html><p>hi") == "HTML"
    assert images.sniff(b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1") == "AVIF"
    assert images.sniff(b"plain words") == ""
