"""Reading the words of a stored file, page by page, without changing its bytes.

- PDF pages with a text layer are read directly (pypdf).
- PDF pages without one (a scan) and images are read by Tesseract OCR in the configured
  language (`OCR_LANGUAGE`, Indonesian `ind` by default): poppler's `pdftoppm` renders the one
  page to a greyscale PNG, `tesseract` reads it. Each runs as a subprocess with a time limit
  and an address-space limit per page (`OCR_PAGE_TIMEOUT_SECONDS`, `OCR_MEMORY_MB`) at a low
  CPU priority, so one bad page can neither hang the worker nor exhaust memory.
- DOCX / ODT / XLSX: their XML text, as one page.

When tesseract, its `ind` data or pdftoppm is missing, `ocr_available()` is False: text
pages are still read and the pages that need OCR are reported as such.
"""

import functools
import io
import os
import re
import resource
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# A page whose text layer has fewer letters than this is treated as a scan.
MIN_TEXT_LETTERS = 20


class OcrUnavailable(Exception):
    """Tesseract (with the configured language) or pdftoppm is not installed."""


class ExtractionError(Exception):
    """The file could not be read (damaged, encrypted, OCR timed out...)."""


@dataclass
class PageText:
    number: int
    text: str
    method: str  # "text" or "ocr" (TextMethod values)
    confidence: float | None


def _binary(setting: str) -> str | None:
    return shutil.which(getattr(settings, setting))


@functools.cache
def _languages(tesseract: str) -> frozenset[str]:
    try:
        result = subprocess.run(  # noqa: S603 - a configured binary, fixed arguments
            [tesseract, "--list-langs"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(line.strip() for line in result.stdout.splitlines()[1:] if line.strip())


def ocr_available() -> bool:
    tesseract = _binary("OCR_TESSERACT")
    if not tesseract or not _binary("OCR_PDFTOPPM"):
        return False
    wanted = set(settings.OCR_LANGUAGE.split("+"))
    return wanted <= _languages(tesseract)


def _limits() -> None:  # runs in the child process, before exec
    limit = settings.OCR_MEMORY_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.nice(10)


def _run(command: list[str]) -> None:
    try:
        subprocess.run(  # noqa: S603 - configured binaries; the arguments are our own temporary paths
            command,
            capture_output=True,
            timeout=settings.OCR_PAGE_TIMEOUT_SECONDS,
            check=True,
            preexec_fn=_limits,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    except subprocess.TimeoutExpired as error:
        raise ExtractionError(f"{Path(command[0]).name} took longer than {error.timeout} s") from error
    except subprocess.CalledProcessError as error:
        detail = (error.stderr or b"").decode(errors="replace").strip().splitlines()[-1:]
        raise ExtractionError(f"{Path(command[0]).name} failed: {' '.join(detail)}") from error


def _tesseract(image: Path, workdir: Path) -> tuple[str, float | None]:
    """OCR one image; the text and the mean word confidence (0-100)."""
    base = workdir / "ocr"
    _run([_binary("OCR_TESSERACT"), str(image), str(base), "-l", settings.OCR_LANGUAGE, "txt", "tsv"])
    text = base.with_suffix(".txt").read_text(errors="replace")
    confidences = []
    for line in base.with_suffix(".tsv").read_text(errors="replace").splitlines()[1:]:
        cells = line.split("\t")
        if len(cells) == 12 and cells[0] == "5" and cells[11].strip():
            try:
                confidences.append(float(cells[10]))
            except ValueError:
                continue
    confidences = [value for value in confidences if value >= 0]
    return text.strip(), (round(sum(confidences) / len(confidences), 1) if confidences else None)


def ocr_pdf_page(pdf: Path, number: int) -> PageText:
    if not ocr_available():
        raise OcrUnavailable
    with tempfile.TemporaryDirectory(prefix="jalin-ocr-") as tmp:
        workdir = Path(tmp)
        prefix = workdir / "page"
        page, dpi = str(number), str(settings.OCR_DPI)
        _run(
            [
                _binary("OCR_PDFTOPPM"),
                "-f",
                page,
                "-l",
                page,
                "-r",
                dpi,
                "-gray",
                "-png",
                "-singlefile",
                str(pdf),
                str(prefix),
            ]
        )
        text, confidence = _tesseract(prefix.with_suffix(".png"), workdir)
    return PageText(number, text, "ocr", confidence)


def ocr_image(image: Path) -> PageText:
    if not ocr_available():
        raise OcrUnavailable
    with tempfile.TemporaryDirectory(prefix="jalin-ocr-") as tmp:
        text, confidence = _tesseract(image, Path(tmp))
    return PageText(1, text, "ocr", confidence)


def pdf_page_count(pdf: Path) -> int:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        return len(PdfReader(pdf).pages)
    except (PyPdfError, ValueError, OSError) as error:
        raise ExtractionError(f"the PDF cannot be read: {error}") from error


def pdf_text_layer(pdf: Path, number: int) -> str:
    """The text layer of one page (1-based), or '' when the page has none."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        return (PdfReader(pdf).pages[number - 1].extract_text() or "").strip()
    except (PyPdfError, ValueError, KeyError, OSError) as error:
        raise ExtractionError(f"page {number} cannot be read: {error}") from error


def has_text(text: str) -> bool:
    return sum(character.isalpha() for character in text) >= MIN_TEXT_LETTERS


def read_pdf_page(pdf: Path, number: int) -> PageText:
    """A page's text layer, or OCR when it has none (raises OcrUnavailable then)."""
    text = pdf_text_layer(pdf, number)
    if has_text(text):
        return PageText(number, text, "text", 100.0)
    return ocr_pdf_page(pdf, number)


_XML_TEXT = {"docx": "word/document.xml", "odt": "content.xml"}
_TAG = re.compile(r"<[^>]+>")
_PARAGRAPH_END = re.compile(r"</(w:p|text:p|text:h)>")


def office_text(path: Path, extension: str) -> str:
    """The words of a DOCX, ODT or XLSX file (bounded: at most 5 MB of XML is read)."""
    try:
        with zipfile.ZipFile(path) as archive:
            if extension == "xlsx":
                names = [
                    n for n in archive.namelist() if n in ("xl/sharedStrings.xml",) or n.startswith("xl/worksheets/")
                ]
            else:
                names = [_XML_TEXT[extension]]
            parts = []
            for name in names:
                with archive.open(name) as member:
                    xml = member.read(5 * 1024 * 1024).decode("utf-8", errors="replace")
                parts.append(_TAG.sub(" ", _PARAGRAPH_END.sub("\n", xml)))
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise ExtractionError(f"the file cannot be read: {error}") from error
    from html import unescape

    return re.sub(r"[ \t]+", " ", unescape("\n".join(parts))).strip()


def kind_of(content_type: str) -> str:
    """'pdf', 'image', 'docx', 'odt', 'xlsx' or '' (nothing to read)."""
    if content_type == "application/pdf":
        return "pdf"
    if content_type.startswith("image/"):
        return "image"
    return {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
        "application/vnd.oasis.opendocument.text": "odt",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    }.get(content_type, "")


def first_pages_text(path: Path, content_type: str, *, pages: int = 2) -> str:
    """The text of a file's first pages, for matching and proposals: text layer first, OCR
    when available. Never raises for a file it cannot read: it returns what it could."""
    kind = kind_of(content_type)
    try:
        if kind == "pdf":
            texts = []
            for number in range(1, min(pdf_page_count(path), pages) + 1):
                try:
                    texts.append(read_pdf_page(path, number).text)
                except OcrUnavailable:
                    continue
            return "\n".join(texts)
        if kind == "image":
            return ocr_image(path).text if ocr_available() else ""
        if kind in ("docx", "odt", "xlsx"):
            return office_text(path, kind)
    except ExtractionError:
        return ""
    return ""


def copy_to_temp(field_file, directory: str) -> Path:
    """The stored file's bytes in a local temporary file (storage may be remote)."""
    target = Path(directory) / "source"
    with field_file.open("rb") as source, target.open("wb") as out:
        shutil.copyfileobj(source, out, length=io.DEFAULT_BUFFER_SIZE * 16)
    return target
