"""DOCX drafts of agreement texts, generated from the register's data.

Templates are ordinary .docx files in settings.WORKFLOW_DRAFT_TEMPLATES_DIR (default
jalin/workflow/drafts/): `ksb.docx` for a KSB, NK or MoU, `pks.docx` for a PKS, RK or
addendum (a file named after the exact kind, e.g. `nk.docx`, wins). Placeholders such as
`{{ title }}` may appear anywhere in a paragraph or table cell; see PLACEHOLDERS.
A generated draft is stored as a new version of the agreement's "draft" document.
"""

import io
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from jalin.accounts.models import User
from jalin.agreements.models import UMBRELLA_KINDS, Agreement, Financing
from jalin.documents.models import Document, DocumentKind
from jalin.documents.services import document_upload
from jalin.lib.text import xml_text
from jalin.workflow.access import can_contribute_documents
from jalin.workflow.models import Process

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

PLACEHOLDERS = {
    "kind": "the document kind (Kesepakatan Bersama, Perjanjian Kerja Sama, ...)",
    "title": "the title",
    "number": "our number (or dots to fill in)",
    "government": "our government",
    "our_signatory": "our signatory and position",
    "parties": "the partners, one per line, with their signatories",
    "parent": "the KSB/NK/MoU a PKS/RK implements, or the agreement an addendum amends",
    "purpose": "the intended benefits (purpose)",
    "object": "the object of cooperation",
    "scope": "the scope",
    "affairs": "the government affairs",
    "lead_agency": "the lead agency",
    "duration": "the period (dates or the maximum term)",
    "financing": "financing and value",
    "date": "today's date",
}


def template_path(kind: str) -> Path:
    folder = Path(settings.WORKFLOW_DRAFT_TEMPLATES_DIR)
    exact = folder / f"{kind}.docx"
    if exact.exists():
        return exact
    return folder / ("ksb.docx" if kind in UMBRELLA_KINDS else "pks.docx")


def _values(agreement: Agreement) -> dict[str, str]:
    dots = "…………"
    parties = [
        f"{index}. {party.partner.name}"
        + (f", {_('represented by')} {party.signatory_name}" if party.signatory_name else "")
        + (f" ({party.signatory_title})" if party.signatory_title else "")
        for index, party in enumerate(agreement.parties.select_related("partner"), start=2)
    ]
    if agreement.ends_on:
        start = agreement.effective_on or agreement.signed_on
        duration = _("from %(start)s to %(end)s") % {
            "start": formats.date_format(start, "j F Y") if start else dots,
            "end": formats.date_format(agreement.ends_on, "j F Y"),
        }
    else:
        duration = _("%(years)d years from signing, unless a sector law allows longer") % {
            "years": settings.PKS_MAX_YEARS
        }
    financing = str(Financing(agreement.financing).label)
    if agreement.value:
        financing += f", Rp {agreement.value:,.0f}".replace(",", ".")
    signatory = agreement.our_signatory_name or dots
    if agreement.our_signatory_title:
        signatory += f", {agreement.our_signatory_title}"
    return {
        "kind": str(agreement.get_kind_display()),
        "title": agreement.title,
        "number": agreement.number or dots,
        "government": str(agreement.government),
        "our_signatory": signatory,
        "parties": "\n".join(parties) or dots,
        "parent": f"{agreement.parent.get_kind_display()} {agreement.parent.number or ''} {agreement.parent.title}".strip()
        if agreement.parent_id
        else "-",
        "purpose": agreement.intended_benefits or dots,
        "object": agreement.object or dots,
        "scope": agreement.scope or dots,
        "affairs": "; ".join(str(affair) for affair in agreement.affairs.all()) or "-",
        "lead_agency": agreement.lead_agency.name,
        "duration": duration,
        "financing": financing,
        "date": formats.date_format(timezone.localdate(), "j F Y"),
    }


def _fill(paragraph, values: dict[str, str]) -> None:
    text = paragraph.text
    if "{{" not in text:
        return
    for key, value in values.items():
        text = text.replace("{{ " + key + " }}", value).replace("{{" + key + "}}", value)
    runs = paragraph.runs
    if not runs:
        return
    runs[0].text = xml_text(text)  # rows stored before the input check may hold control characters
    for run in runs[1:]:
        run.text = ""


def render_draft(agreement: Agreement) -> bytes:
    import docx

    path = template_path(agreement.kind)
    if not path.exists():
        raise ValidationError(_("The draft template %(name)s is missing.") % {"name": path.name})
    with translation.override(settings.LANGUAGE_CODE):
        values = _values(agreement)
    document = docx.Document(str(path))
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs += cell.paragraphs
    for section in document.sections:
        paragraphs += section.header.paragraphs + section.footer.paragraphs
    for paragraph in paragraphs:
        _fill(paragraph, values)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@transaction.atomic
def draft_generate(*, actor: User, process: Process, which: str = "umbrella") -> Document:
    """Generate the DOCX draft of the proposal's agreement (`umbrella`: KSB/NK/addendum) or of
    its PKS/RK (`implementing`) and store it as a new draft version."""
    process = Process.objects.select_related("agreement", "implementing").get(pk=process.pk)
    if not can_contribute_documents(actor, process):
        raise PermissionDenied
    agreement = process.agreement if which == "umbrella" else process.implementing
    if agreement is None:
        raise ValidationError(_("The cooperation agreement is drafted once the agreement is signed and approved."))
    content = render_draft(agreement)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Draft %(kind)s") % {"kind": agreement.get_kind_display()}
    filename = f"draf-{agreement.kind}-{agreement.pk}.docx"
    upload = SimpleUploadedFile(filename, content, content_type=DOCX_TYPE)
    return document_upload(actor=actor, agreement=agreement, kind=DocumentKind.DRAFT, title=title, upload=upload)


# The default templates ---------------------------------------------------------------

ARTICLES = [
    ("MAKSUD DAN TUJUAN", "Kerja sama ini dimaksudkan untuk {{ purpose }}."),
    (
        "OBJEK DAN RUANG LINGKUP",
        "Objek kerja sama ini adalah {{ object }}. Ruang lingkup kerja sama meliputi: {{ scope }}. "
        "Urusan pemerintahan: {{ affairs }}.",
    ),
    (
        "HAK DAN KEWAJIBAN",
        "PIHAK KESATU berhak dan berkewajiban …………. PIHAK KEDUA berhak dan berkewajiban …………. "
        "Pelaksanaan teknis dikoordinasikan oleh {{ lead_agency }}.",
    ),
    (
        "JANGKA WAKTU",
        "Kerja sama ini berlaku {{ duration }} dan dapat diperpanjang atas kesepakatan PARA PIHAK.",
    ),
    ("PEMBIAYAAN", "Pembiayaan pelaksanaan kerja sama ini: {{ financing }}."),
    (
        "KEADAAN KAHAR (FORCE MAJEURE)",
        "Dalam hal terjadi keadaan kahar, pihak yang mengalaminya memberitahukan secara tertulis kepada pihak "
        "lainnya paling lambat 14 (empat belas) hari sejak terjadinya keadaan kahar.",
    ),
    (
        "PENYELESAIAN PERSELISIHAN",
        "Perselisihan yang timbul diselesaikan secara musyawarah untuk mufakat; apabila tidak tercapai, "
        "diselesaikan sesuai ketentuan peraturan perundang-undangan.",
    ),
    (
        "PENGAKHIRAN",
        "Kerja sama ini berakhir karena: kesepakatan PARA PIHAK, tujuan tercapai, keadaan kahar, salah satu "
        "pihak melanggar ketentuan, digantikan dengan kerja sama baru, norma hukum baru, objek kerja sama "
        "hilang, kepentingan nasional, atau berakhirnya jangka waktu.",
    ),
    (
        "PENUTUP",
        "Naskah ini dibuat dalam rangkap secukupnya, masing-masing mempunyai kekuatan hukum yang sama.",
    ),
]


def write_default_template(path: Path, *, heading: str, umbrella: bool) -> None:
    """Write a default template (used to create the shipped files; an admin replaces them)."""
    import docx

    document = docx.Document()
    document.add_heading(heading, level=1)
    document.add_paragraph("{{ title }}")
    document.add_paragraph("Nomor: {{ number }}")
    if not umbrella:
        document.add_paragraph("Berdasarkan: {{ parent }}")
    document.add_paragraph(
        "Pada hari ini, {{ date }}, yang bertanda tangan di bawah ini: 1. {{ government }}, diwakili oleh "
        "{{ our_signatory }}, selanjutnya disebut PIHAK KESATU; dan"
    )
    document.add_paragraph("{{ parties }}")
    document.add_paragraph("selanjutnya disebut PIHAK KEDUA, bersama-sama disebut PARA PIHAK, sepakat:")
    for number, (title, body) in enumerate(ARTICLES, start=1):
        document.add_heading(f"Pasal {number}\n{title}", level=2)
        document.add_paragraph(body)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "PIHAK KESATU"
    table.cell(0, 1).text = "PIHAK KEDUA"
    table.cell(1, 0).text = "{{ our_signatory }}"
    table.cell(1, 1).text = "{{ parties }}"
    document.save(str(path))
