"""The cover letter to the Governor that goes with the periodic report (DOCX from the
government's template, PDF from HTML), with the number, addressee and signatory of the
government's letter settings (jalin.letterheads)."""

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalin.letterheads import services as letterheads
from jalin.letterheads.registry import TemplateKind, register_kind
from jalin.lib.pages import docx_a4
from jalin.reports.selectors import ReportPeriod

KIND = "cover_letter"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
DOTS = "…………"
TAGS = {
    "number": "the letter's number (from the settings, {year} filled in; or dots)",
    "date": "the date of the letter",
    "place": "the place of the letter (or empty)",
    "addressee": "the addressee (Gubernur …)",
    "addressee_place": "the addressee's city (or empty)",
    "subject": "the subject (Laporan Pelaksanaan Kerja Sama Daerah …)",
    "government": "our government",
    "period": "the period reported (Semester I 2026)",
    "attachment": "the attachment line (1 (satu) berkas)",
    "version": "the report's version once issued (or empty)",
    "signatory_name": "the signatory (or dots)",
    "signatory_title": "the signatory's position (or empty)",
    "signatory_rank": "the signatory's rank (or empty)",
    "signatory_nip": "the signatory's NIP (or empty)",
    "copies_to": "copies to, a list (may be empty)",
}


def default_path() -> Path:
    return Path(__file__).parent / "letter_templates" / "cover_letter.docx"


def cover_letter_context(government, period: ReportPeriod, issue: dict | None = None) -> dict:
    current = letterheads.letter_settings_for(government)
    today = timezone.localdate()
    number = current.number_pattern.replace("{year}", str(today.year)) if current.number_pattern else DOTS
    subject = _("Report on the implementation of regional cooperation")
    return {
        "number": number,
        "date": formats.date_format(today, "j F Y"),
        "place": current.place,
        "addressee": current.addressee or DOTS,
        "addressee_place": current.addressee_place,
        "subject": f"{subject} {period.label}",
        "government": government.name,
        "period": str(period.label),
        "attachment": _("1 (one) file"),
        "version": str((issue or {}).get("version") or ""),
        "signatory_name": current.signatory_name or DOTS,
        "signatory_title": current.signatory_title,
        "signatory_rank": current.signatory_rank,
        "signatory_nip": current.signatory_nip,
        "copies_to": [line.strip() for line in current.copies_to.splitlines() if line.strip()],
    }


def sample_context() -> dict:
    return {**dict.fromkeys(TAGS, "Contoh"), "copies_to": ["Menteri Dalam Negeri", "Arsip"]}


def register_template_kind() -> None:
    register_kind(
        TemplateKind(KIND, gettext_lazy("Cover letter of the periodic report"), default_path, TAGS, sample_context)
    )


def cover_letter_docx(government, period: ReportPeriod, language: str, issue: dict | None = None) -> bytes:
    with translation.override(language):
        return letterheads.render_for(government.pk, KIND, cover_letter_context(government, period, issue))


def cover_letter_pdf(government, period: ReportPeriod, language: str, issue: dict | None = None) -> bytes:
    from jalin.reports.render import html_to_pdf

    with translation.override(language):
        context = {"letter": cover_letter_context(government, period, issue), "language": language}
        return html_to_pdf(render_to_string("reports/cover_letter.html", context))


def write_default_template(path: Path | None = None) -> None:
    """Write the shipped cover letter (Indonesian, the form of a surat dinas)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = docx.Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(12)
    header = document.sections[0].header.paragraphs[0]
    header.text = "PEMERINTAH {{ government|upper }}"
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.runs[0].bold = True
    date = document.add_paragraph("{% if place %}{{ place }}, {% endif %}{{ date }}")
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table = document.add_table(rows=4, cols=3)
    table.autofit = False
    for column, width in zip(table.columns, (Mm(28), Mm(5), Mm(127)), strict=True):
        column.width = width  # the grid LibreOffice and Word lay out by
    for row, (label, value) in zip(
        table.rows,
        [("Nomor", "{{ number }}"), ("Sifat", "Biasa"), ("Lampiran", "{{ attachment }}"), ("Hal", "{{ subject }}")],
        strict=True,
    ):
        row.cells[0].text, row.cells[1].text, row.cells[2].text = label, ":", value
        for cell, width in zip(row.cells, (Mm(28), Mm(5), Mm(127)), strict=True):
            cell.width = width
    document.add_paragraph()
    document.add_paragraph("Yth. {{ addressee }}")
    document.add_paragraph("{%p if addressee_place %}")
    document.add_paragraph("di {{ addressee_place }}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph()
    document.add_paragraph(
        "Dengan hormat, bersama ini kami sampaikan Laporan Pelaksanaan Kerja Sama Daerah {{ government }} "
        "{{ period }}{% if version %} (versi {{ version }}){% endif %} sebagaimana terlampir, sebagai bahan "
        "pembinaan dan pengawasan penyelenggaraan kerja sama daerah."
    )
    document.add_paragraph("Demikian disampaikan, atas perhatiannya diucapkan terima kasih.")
    document.add_paragraph()
    for text in (
        "{{ signatory_title }}",
        "",
        "",
        "",
        "{{ signatory_name }}",
        "{{ signatory_rank }}",
        "{% if signatory_nip %}NIP {{ signatory_nip }}{% endif %}",
    ):
        paragraph = document.add_paragraph(text)
        paragraph.paragraph_format.left_indent = Pt(250)
        paragraph.paragraph_format.keep_with_next = True
    document.add_paragraph("{%p if copies_to %}")
    document.add_paragraph("Tembusan:")
    document.add_paragraph("{%p for copy in copies_to %}")
    document.add_paragraph("{{ copy }}", style="List Number")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p endif %}")
    docx_a4(document)
    document.save(str(path or default_path()))
