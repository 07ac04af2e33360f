"""Item 5 (images): a photo above the pixel limit is refused from its header, quickly, with a
message; the original stays private with its camera facts, the public copy is re-encoded
without metadata (jalin/monitoring/images.py)."""

import functools
import io
import time

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, TestCase
from personas import build_world
from PIL import Image

from jalin.monitoring import services
from jalin.monitoring.images import MAX_PIXELS, ImageTooLarge, photo_facts


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")  # one bit a pixel: small to build and to store
    return out.getvalue()


@functools.cache
def huge() -> bytes:
    return png(12_000, 10_000)  # 120 megapixels: exactly Pillow's own error threshold


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (64, 48), "green")
    exif = image.getexif()
    exif[0x0132] = "2026:03:04 10:11:12"  # DateTime
    exif[0x010F] = "KameraDesa"  # Make
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


class PixelLimitTests(SimpleTestCase):
    def test_a_120_megapixel_png_is_refused_before_decoding(self):
        self.assertGreater(12_000 * 10_000, MAX_PIXELS)
        started = time.monotonic()
        with self.assertRaises(ImageTooLarge) as refused:
            photo_facts(huge())
        self.assertLess(time.monotonic() - started, 1.0)
        self.assertEqual(refused.exception.megapixels, 120)

    def test_a_photo_at_the_limit_is_read(self):
        self.assertTrue(photo_facts(png(1000, 800)).thumbnail)


class EvidencePhotoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_the_upload_is_refused_with_a_message(self):
        upload = SimpleUploadedFile("besar.png", huge(), content_type="image/png")
        with self.assertRaises(ValidationError) as refused:
            services.evidence_add(actor=self.world.alice, agreement=self.world.published, caption="Foto", upload=upload)
        self.assertIn("120", " ".join(refused.exception.messages))

    def test_the_original_keeps_its_camera_facts_and_the_public_copy_has_none(self):
        original = jpeg_with_exif()
        evidence = services.evidence_add(
            actor=self.world.alice,
            agreement=self.world.published,
            caption="Homestay",
            upload=SimpleUploadedFile("foto.jpg", original, content_type="image/jpeg"),
        )
        with evidence.file.open("rb") as handle:
            self.assertEqual(handle.read(), original)
        self.assertEqual(evidence.taken_at.year, 2026)
        with evidence.thumbnail.open("rb") as handle, Image.open(handle) as thumbnail:
            self.assertEqual(dict(thumbnail.getexif()), {})
