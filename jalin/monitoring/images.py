"""Photos as evidence: a small JPEG thumbnail, and the date and place the camera recorded.

The original file is kept as uploaded, privately (served only after the access check): its
camera date and place are evidence. Everything public is the thumbnail, re-encoded from the
pixels, so it carries no metadata. An image larger than MAX_PIXELS is refused from its
header, before any pixel is decoded (Pillow itself only refuses at twice its limit, so a
120-megapixel PNG used to be decoded in full)."""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from PIL import ExifTags, Image, ImageOps

THUMBNAIL_SIZE = (480, 480)
MAX_PIXELS = 60_000_000  # a 60-megapixel photo: more than any phone camera takes
# Pillow's own guard, for any other reader of images in the process (it errors at twice this).
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class ImageTooLarge(ValueError):
    def __init__(self, pixels: int):
        super().__init__(f"{pixels} pixels, at most {MAX_PIXELS}")
        self.megapixels = round(pixels / 1_000_000)


@dataclass(frozen=True)
class PhotoFacts:
    thumbnail: bytes
    taken_at: datetime.datetime | None
    latitude: Decimal | None
    longitude: Decimal | None


def _ratio(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return float(value[0]) / float(value[1])


def _coordinate(parts, ref) -> Decimal | None:
    try:
        degrees, minutes, seconds = (_ratio(part) for part in parts)
    except (TypeError, ValueError, ZeroDivisionError, IndexError):
        return None
    value = degrees + minutes / 60 + seconds / 3600
    if ref in ("S", "W", b"S", b"W"):
        value = -value
    return Decimal(f"{value:.6f}")


def _taken_at(exif) -> datetime.datetime | None:
    raw = exif.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    if not raw:
        return None
    try:
        naive = datetime.datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")  # noqa: DTZ007 (made aware below)
    except ValueError:
        return None
    # Cameras record local time without a zone: read it in the installation's zone.
    return timezone.make_aware(naive)


def photo_facts(data: bytes) -> PhotoFacts:
    """Raise ImageTooLarge above MAX_PIXELS (before decoding), ValueError when the bytes are
    not an image Pillow can read."""
    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            if image.width * image.height > MAX_PIXELS:
                raise ImageTooLarge(image.width * image.height)
            image.load()
            exif = image.getexif()
            taken_at = _taken_at(exif)
            gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
            latitude = longitude = None
            if gps:
                latitude = _coordinate(gps.get(2), gps.get(1))
                longitude = _coordinate(gps.get(4), gps.get(3))
                if latitude is not None and not -90 <= latitude <= 90:
                    latitude = None
                if longitude is not None and not -180 <= longitude <= 180:
                    longitude = None
            thumb = ImageOps.exif_transpose(image).convert("RGB")
            thumb.thumbnail(THUMBNAIL_SIZE)
            out = io.BytesIO()
            thumb.save(out, "JPEG", quality=80)  # re-encoded: no EXIF carried into the thumbnail
    except (OSError, Image.DecompressionBombError, SyntaxError) as error:
        raise ValueError(str(error)) from error
    return PhotoFacts(out.getvalue(), taken_at, latitude, longitude)
