"""Opening generated documents as their recipients would and checking what they see: page
size, leftover tags, raw Python values, doubled punctuation, separators."""

import io
import re
import zipfile

A4_TWIPS = (11906, 16838)
A4_POINTS = (595.28, 841.89)
RAW_VALUES = re.compile(r"\b(None|True|False|nan)\b")
DOUBLED = re.compile(r"([.,;:])\1|[,;:]\.|\.[,;:](?!\d)")
TAGS = re.compile(r"\{\{|\}\}|\{%|%\}")
UNSEPARATED = re.compile(r"(?<![\d.,/:-])\d{5,}(?![\d.,/])")  # 30620, not 30.620 (or a code/number)


def docx_parts(content: bytes) -> dict[str, str]:
    """The XML of the document body, headers and footers of a .docx."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if re.match(r"word/(document|header\d*|footer\d*)\.xml$", name)
        }


def docx_text(content: bytes) -> str:
    """The visible text of a .docx, one paragraph a line (runs joined as Word shows them)."""
    lines = []
    for xml in docx_parts(content).values():
        for paragraph in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S):
            lines.append("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", paragraph)))
    return "\n".join(lines)


def assert_docx_a4(test, content: bytes) -> None:
    xml = docx_parts(content)["word/document.xml"]
    sizes = re.findall(r'<w:pgSz w:w="(\d+)" w:h="(\d+)"', xml)
    test.assertTrue(sizes, "no page size")
    for width, height in sizes:
        test.assertEqual(sorted((int(width), int(height))), sorted(A4_TWIPS))
    for margin in re.findall(r"<w:pgMar [^>]*>", xml):
        test.assertIn('w:left="1701"', margin)
        test.assertIn('w:top="1134"', margin)


def assert_pdf_a4(test, content: bytes) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    for page in reader.pages:
        box = page.mediabox
        test.assertAlmostEqual(float(box.width), A4_POINTS[0], delta=1)
        test.assertAlmostEqual(float(box.height), A4_POINTS[1], delta=1)


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def assert_clean(test, text: str, *, numbers: bool = True) -> None:
    """No tag left, no None/True/False, no doubled punctuation, no count without separators."""
    test.assertIsNone(TAGS.search(text), f"unfilled tag in: {text[:200]}")
    raw = RAW_VALUES.search(text)
    test.assertIsNone(
        raw, f"raw value {raw and raw.group(0)!r} near: {raw and text[max(raw.start() - 60, 0) : raw.end() + 20]}"
    )
    doubled = DOUBLED.search(text)
    test.assertIsNone(
        doubled, f"doubled punctuation near: {doubled and text[max(doubled.start() - 60, 0) : doubled.end() + 10]}"
    )
    if numbers:
        bare = UNSEPARATED.search(text)
        test.assertIsNone(
            bare, f"number without separators near: {bare and text[max(bare.start() - 60, 0) : bare.end() + 10]}"
        )
