"""PH-4, as a property: whatever the picture (size, colour mode, format) and whatever it carries
(a GPS location, maker notes, XMP, a comment), the cleaned photo has no EXIF at all and no
trace of a location or an XMP packet in its bytes. Examples are few, so it runs in seconds.
"""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image

from safecare.files.images import FOREIGN_SIGNATURES, clean_image

from .test_images import XMP, encode

MODES = {
    "JPEG": ["RGB", "L", "CMYK"],
    "PNG": ["RGB", "RGBA", "L", "P"],
    "WEBP": ["RGB", "RGBA"],
    "HEIF": ["RGB", "RGBA"],
}
PLACE = "Flat 2, 14 Acacia Road, Leeds LS6"


@st.composite
def hostile_photos(draw: st.DrawFn) -> bytes:
    fmt = draw(st.sampled_from(sorted(MODES)))
    mode = draw(st.sampled_from(MODES[fmt]))
    size = (draw(st.integers(1, 96)), draw(st.integers(1, 96)))
    image = Image.effect_noise(size, draw(st.integers(0, 80))).convert(mode)

    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = draw(st.integers(1, 8))
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = draw(st.sampled_from(["N", "S"]))
    gps[ExifTags.GPS.GPSLatitude] = (float(draw(st.integers(0, 89))), float(draw(st.integers(0, 59))), 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = draw(st.sampled_from(["E", "W"]))
    gps[ExifTags.GPS.GPSLongitude] = (float(draw(st.integers(0, 179))), 7.0, 39.0)
    if draw(st.booleans()):
        gps[ExifTags.GPS.GPSAreaInformation] = PLACE
    if draw(st.booleans()):
        # Any bytes, but no zip or PDF signature: those are refused as polyglots (test_hostile_files).
        note = draw(
            st.binary(min_size=1, max_size=64).filter(lambda b: not any(s in b for s in FOREIGN_SIGNATURES))
        )
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.MakerNote] = note
    if draw(st.booleans()):
        exif[ExifTags.Base.ImageDescription] = PLACE

    options: dict[str, object] = {"exif": exif.tobytes()}
    if fmt != "PNG" and draw(st.booleans()):
        options["xmp"] = XMP
    if fmt == "JPEG" and draw(st.booleans()):
        options["comment"] = PLACE.encode()
    return encode(image, fmt, **options)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_photos())
def test_ph4_no_cleaned_photo_keeps_a_location(data: bytes) -> None:
    clean = clean_image(data)

    for trace in (b"GPS", b"Exif", b"xpacket", b"xmpmeta", PLACE.encode(), b"MakerNote"):
        assert trace not in clean.data
    image = Image.open(io.BytesIO(clean.data))
    assert len(image.getexif()) == 0
    assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert "exif" not in image.info and "xmp" not in image.info
