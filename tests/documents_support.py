"""Real files the document tests read: PDFs with a text layer, image-only scans rendered
from Indonesian text with Pillow, and ZIP files."""

import io
import shutil
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from jalin.documents import extraction

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_pdf(pages: list[str]) -> bytes:
    """A PDF whose pages carry a real text layer (Helvetica), one line per text line."""
    objects = ["<</Type/Catalog/Pages 2 0 R>>", None, "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
    kids = []
    for text in pages:
        lines = text.splitlines() or [""]
        body = "BT /F1 11 Tf 14 TL 56 780 Td " + " ".join(f"({_escape(line)}) '" for line in lines) + " ET"
        stream = body.encode("latin-1")
        objects.append(f"<</Length {len(stream)}>>stream\n{body}\nendstream")
        content = len(objects)
        objects.append(
            f"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 3 0 R>>>>/Contents {content} 0 R>>"
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<</Type/Pages/Kids[{' '.join(kids)}]/Count {len(kids)}>>"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _font(size: int):
    if DEJAVU.exists():
        return ImageFont.truetype(str(DEJAVU), size)
    return ImageFont.load_default(size=size)


def scan_image(text: str) -> Image.Image:
    """A page as a scanner would give it: black text on white, 200 dpi, no text layer."""
    image = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
    draw = ImageDraw.Draw(image)
    font = _font(40)
    y = 150
    for line in text.splitlines():
        draw.text((120, y), line, fill=0, font=font)
        y += 64
    return image


def scan_pdf(pages: list[str]) -> bytes:
    """An image-only PDF (what a scanner makes): Pillow's PDF writer, one image per page."""
    images = [scan_image(text) for text in pages]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=200.0, save_all=True, append_images=images[1:])
    return out.getvalue()


def scan_png(text: str) -> bytes:
    out = io.BytesIO()
    scan_image(text).save(out, "PNG")
    return out.getvalue()


def make_zip(members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def ocr_missing_reason() -> str | None:
    """Why OCR tests cannot run here, or None (CI installs tesseract-ocr, tesseract-ocr-ind,
    poppler-utils)."""
    if not shutil.which("tesseract") or not shutil.which("pdftoppm"):
        return "tesseract or pdftoppm is not installed (apt-get install tesseract-ocr tesseract-ocr-ind poppler-utils)"
    if not extraction.ocr_available():
        return "tesseract has no Indonesian data (apt-get install tesseract-ocr-ind)"
    return None


AGREEMENT_TEXT = """PERJANJIAN KERJA SAMA
ANTARA
PEMERINTAH KABUPATEN PESAWARAN
DENGAN
UNIVERSITAS LAMPUNG
TENTANG
PENYEDIAAN AIR BERSIH DI DESA HANURA
NOMOR: 180/7/PKS/2024
NOMOR: 12/UN26/KS/2024

Pada hari ini Senin tanggal 12 Februari 2024 bertempat di Gedong Tataan,
kami yang bertanda tangan di bawah ini sepakat mengadakan kerja sama
penyediaan air bersih bagi warga Desa Hanura.
Perjanjian ini berlaku untuk jangka waktu 3 (tiga) tahun."""
