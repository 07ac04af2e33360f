"""DOCX drafts of agreement texts, generated from the register's data.

Templates are .docx files with docxtpl (Jinja) tags, edited in Word: `{{ title }}` in a
sentence, `{%p if parent %}` … `{%p endif %}` around an optional paragraph, `{%p for party in
parties %}` … `{%p endfor %}` around the paragraph repeated per partner. The shipped ones are
in settings.WORKFLOW_DRAFT_TEMPLATES_DIR (default jalin/workflow/drafts/): `ksb.docx` for a
KSB, NK or MoU, `pks.docx` for a PKS, RK or addendum (a file named after the exact kind, e.g.
`nk.docx`, wins). A government may upload its own (with its letterhead) on the templates page
(jalin.letterheads); see TAGS for what is filled in, and docs/reports.md.
A generated draft is stored as a new version of the agreement's "draft" document.
"""

import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalin.accounts.models import User
from jalin.agreements.models import UMBRELLA_KINDS, Agreement, Financing
from jalin.documents.models import Document, DocumentKind
from jalin.documents.services import document_upload
from jalin.letterheads import services as letterheads
from jalin.letterheads.docx import clause
from jalin.letterheads.docx import render as render_docx
from jalin.letterheads.registry import TemplateKind, register_kind
from jalin.lib.formatting import rupiah
from jalin.lib.pages import docx_a4, docx_keep_rows
from jalin.workflow.access import can_contribute_documents
from jalin.workflow.models import Process

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOTS = "…………"

TAGS = {
    "kind": "the document kind (Kesepakatan Bersama (KSB), …)",
    "kind_heading": "the document kind as a heading (KESEPAKATAN BERSAMA)",
    "title": "the title",
    "number": "our number (or dots to fill in)",
    "government": "our government",
    "our_signatory": "our signatory and position (or dots)",
    "our_signatory_name": "our signatory (or dots)",
    "our_signatory_title": "our signatory's position (may be empty)",
    "parties": "the partners, a list: party.name, party.number, party.signatory, party.signatory_title, "
    "party.represented (', diwakili oleh …' or empty), party.ordinal (KEDUA, KETIGA, …)",
    "parent": "the KSB/NK/MoU a PKS/RK implements, or the agreement an addendum amends (may be empty)",
    "purpose": "the intended benefits, without a final full stop (or dots)",
    "object": "the object of cooperation, without a final full stop (or dots)",
    "scope": "the scope, without a final full stop (or dots)",
    "affairs": "the government affairs (may be empty)",
    "lead_agency": "the lead agency",
    "duration": "the period (dates or the maximum term)",
    "financing": "financing and value",
    "date": "today's date",
}
PLACEHOLDERS = TAGS  # the workflow settings page lists them
ORDINALS = ["KESATU", "KEDUA", "KETIGA", "KEEMPAT", "KELIMA", "KEENAM", "KETUJUH", "KEDELAPAN", "KESEMBILAN"]


def template_path(kind: str) -> Path:
    """The shipped template of an agreement kind."""
    folder = Path(settings.WORKFLOW_DRAFT_TEMPLATES_DIR)
    exact = folder / f"{kind}.docx"
    if exact.exists():
        return exact
    return folder / f"{template_kind(kind)}.docx"


def template_kind(kind: str) -> str:
    return "ksb" if kind in UMBRELLA_KINDS else "pks"


def _ordinal(index: int) -> str:
    return ORDINALS[index] if index < len(ORDINALS) else str(index + 1)


def _one_line(text: str | None) -> str:
    """Lines of a text joined with semicolons, each without its own trailing punctuation."""
    return "; ".join(filter(None, (clause(line) for line in (text or "").splitlines())))


def _duration(agreement: Agreement) -> str:
    if agreement.ends_on:
        start = agreement.effective_on or agreement.signed_on
        return _("from %(start)s to %(end)s") % {
            "start": formats.date_format(start, "j F Y") if start else DOTS,
            "end": formats.date_format(agreement.ends_on, "j F Y"),
        }
    return _("%(years)d years from signing, unless a sector law allows longer") % {"years": settings.PKS_MAX_YEARS}


def draft_context(agreement: Agreement) -> dict:
    """What the tags of a draft are filled with: text without trailing punctuation (the
    template writes its own), dots where the division fills in by hand, empty where a
    paragraph is left out."""
    parties = []
    for index, party in enumerate(agreement.parties.select_related("partner"), start=1):
        signatory = party.signatory_name + (f" ({party.signatory_title})" if party.signatory_title else "")
        parties.append(
            {
                "name": party.partner.name,
                "number": party.party_number,
                "signatory": party.signatory_name or DOTS,
                "signatory_title": party.signatory_title,
                "represented": _(", represented by %(who)s") % {"who": signatory} if party.signatory_name else "",
                "ordinal": _ordinal(index),
            }
        )
    if not parties:
        parties = [
            {
                "name": DOTS,
                "number": "",
                "signatory": DOTS,
                "signatory_title": "",
                "represented": "",
                "ordinal": _ordinal(1),
            }
        ]
    financing = str(Financing(agreement.financing).label)
    if agreement.value:
        financing += f", {rupiah(agreement.value)}"
    name = agreement.our_signatory_name or DOTS
    parent = ""
    if agreement.parent_id:
        parent = " ".join(
            part
            for part in (agreement.parent.get_kind_display(), agreement.parent.number, agreement.parent.title)
            if part
        )
    kind = str(agreement.get_kind_display())
    return {
        "kind": kind,
        "kind_heading": re.sub(r"\s*\([^)]*\)$", "", kind).upper(),
        "title": clause(agreement.title),
        "number": agreement.number or DOTS,
        "government": str(agreement.government),
        "our_signatory": name + (f", {agreement.our_signatory_title}" if agreement.our_signatory_title else ""),
        "our_signatory_name": name,
        "our_signatory_title": agreement.our_signatory_title,
        "parties": parties,
        "parent": clause(parent),
        "purpose": _one_line(agreement.intended_benefits) or DOTS,
        "object": _one_line(agreement.object) or DOTS,
        "scope": _one_line(agreement.scope) or DOTS,
        "affairs": "; ".join(str(affair) for affair in agreement.affairs.all()),
        "lead_agency": agreement.lead_agency.name,
        "duration": _duration(agreement),
        "financing": financing,
        "date": formats.date_format(timezone.localdate(), "j F Y"),
    }


def sample_context() -> dict:
    """A fully populated context: an uploaded template must render with it."""
    party = {
        "name": "Universitas Contoh",
        "number": "01/UC/2026",
        "signatory": "Dr. Nama Rektor",
        "signatory_title": "Rektor",
        "represented": ", diwakili oleh Dr. Nama Rektor (Rektor)",
        "ordinal": "KEDUA",
    }
    return {
        **dict.fromkeys(TAGS, "Contoh"),
        "parties": [party, {**party, "ordinal": "KETIGA"}],
        "kind_heading": "KESEPAKATAN BERSAMA",
    }


def register_template_kinds() -> None:
    """Called by the workflow app's ready(): the two draft templates a government may replace."""
    for key, label in (
        ("ksb", gettext_lazy("Draft KSB / NK / MoU")),
        ("pks", gettext_lazy("Draft PKS / RK / addendum")),
    ):
        register_kind(TemplateKind(key, label, lambda key=key: template_path(key), TAGS, sample_context))


def render_draft(agreement: Agreement) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        context = draft_context(agreement)
    kind = template_kind(agreement.kind)
    if letterheads.active_template(agreement.government_id, kind) is not None:
        return letterheads.render_for(agreement.government_id, kind, context)
    path = template_path(agreement.kind)  # the shipped one (or one named after the exact kind)
    if not path.exists():
        raise ValidationError(_("The draft template %(name)s is missing.") % {"name": path.name})
    return render_docx(path, context)


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


# The shipped templates ----------------------------------------------------------------

ARTICLES = [
    ("MAKSUD DAN TUJUAN", "Kerja sama ini dimaksudkan untuk {{ purpose }}."),
    ("OBJEK", "Objek kerja sama ini adalah {{ object }}."),
    ("RUANG LINGKUP", "Ruang lingkup kerja sama ini meliputi {{ scope }}."),
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


def _centred(document, text: str, *, bold: bool = False, style: str | None = None):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = document.add_paragraph(style=style)
    run = paragraph.add_run(text)
    run.bold = bold
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _preamble(document, *, umbrella: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    heading = document.add_heading("{{ kind_heading }}", level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _centred(document, "ANTARA")
    _centred(document, "{{ government|upper }}", bold=True)
    _centred(document, "DAN")
    document.add_paragraph("{%p for party in parties %}")
    _centred(document, "{{ party.name|upper }}", bold=True)
    document.add_paragraph("{%p endfor %}")
    _centred(document, "TENTANG")
    _centred(document, "{{ title|upper }}", bold=True)
    _centred(document, "Nomor: {{ number }}")
    if not umbrella:
        document.add_paragraph("{%p if parent %}")
        document.add_paragraph("Berdasarkan {{ parent }}.")
        document.add_paragraph("{%p endif %}")
    document.add_paragraph("Pada hari ini, {{ date }}, yang bertanda tangan di bawah ini:")
    document.add_paragraph(
        "{{ government }}, diwakili oleh {{ our_signatory }}, selanjutnya disebut PIHAK KESATU;",
        style="List Number",
    )
    document.add_paragraph("{%p for party in parties %}")
    document.add_paragraph(
        "{{ party.name }}{{ party.represented }}, selanjutnya disebut PIHAK {{ party.ordinal }};",
        style="List Number",
    )
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("bersama-sama disebut PARA PIHAK, sepakat mengikatkan diri dengan ketentuan berikut.")
    document.add_paragraph("{%p if affairs %}")
    document.add_paragraph("Urusan pemerintahan: {{ affairs }}.")
    document.add_paragraph("{%p endif %}")


def _signatures(document) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = document.add_table(rows=3, cols=2)
    cells = table.rows
    cells[0].cells[0].text = "PIHAK KESATU"
    cells[0].cells[1].text = "PIHAK KEDUA"
    cells[1].cells[0].text = "\n\n\n"
    cells[1].cells[1].text = "\n\n\n"
    left, right = cells[2].cells
    left.text = "{{ our_signatory_name }}"
    left.add_paragraph("{{ our_signatory_title }}")
    right.text = "{%p for party in parties %}"
    right.add_paragraph("{{ party.signatory }}")
    right.add_paragraph("{{ party.signatory_title }}")
    right.add_paragraph("{{ party.name }}")
    right.add_paragraph("{%p endfor %}")
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                paragraph.paragraph_format.keep_with_next = True
    docx_keep_rows(table, header_rows=0)


def write_default_template(path: Path, *, heading: str = "", umbrella: bool) -> None:
    """Write a shipped template (`write_default_templates()` rewrites both after a change of
    the wording here). A government replaces it with its own on the templates page."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.styles["Normal"].font.name = "Bookman Old Style"
    document.styles["Normal"].font.size = Pt(12)
    _preamble(document, umbrella=umbrella)
    for number, (title, body) in enumerate(ARTICLES, start=1):
        article = _centred(document, f"Pasal {number}", bold=True, style="Heading 2")
        article.paragraph_format.keep_with_next = True
        name = _centred(document, title, bold=True)
        name.paragraph_format.keep_with_next = True
        document.add_paragraph(body)
    document.add_paragraph("Demikian naskah ini ditandatangani oleh PARA PIHAK pada hari dan tanggal tersebut di atas.")
    _signatures(document)
    docx_a4(document)
    document.save(str(path))


def write_default_templates() -> None:
    folder = Path(settings.WORKFLOW_DRAFT_TEMPLATES_DIR)
    write_default_template(folder / "ksb.docx", umbrella=True)
    write_default_template(folder / "pks.docx", umbrella=False)
