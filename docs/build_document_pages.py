"""Regenerate the pictures of docs/reports.md from the real output: `make docs-documents`.

Runs on a throw-away SQLite database filled with the demo data (the Makefile target
migrates and seeds it), builds every document Jalin generates for Kabupaten Pesawaran,
turns the DOCX files into PDF with LibreOffice (`libreoffice --headless --convert-to pdf`)
and the first page of every PDF into a PNG with pdftoppm (poppler-utils)."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images" / "documents"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalin.settings")


def build(folder: Path) -> dict[str, Path]:
    import django

    django.setup()
    from django.utils import timezone

    from jalin.accounts.models import Role, User
    from jalin.agreements.models import Agreement
    from jalin.letterheads import services as letterheads
    from jalin.monitoring.models import Evaluation
    from jalin.reports import letters, render, selectors
    from jalin.workflow.drafts import render_draft

    admin = User.objects.filter(role=Role.ADMIN, government__code="18.09").order_by("pk").first()
    letterheads.letter_settings_update(
        actor=admin,
        fields={
            "number_pattern": "000.5.4/…/BKS/{year}",
            "place": "Gedong Tataan",
            "addressee": "Gubernur Lampung",
            "addressee_place": "Bandar Lampung",
            "signatory_name": "Dendi Ramadhona",
            "signatory_title": "Bupati Pesawaran",
            "signatory_nip": "",
            "copies_to": "Menteri Dalam Negeri\nArsip",
        },
    )
    agreements = Agreement.objects.filter(government=admin.government).live()
    ksb = agreements.filter(kind="ksb").order_by("pk").first()
    pks = agreements.filter(kind="pks").exclude(intended_benefits="").order_by("pk").first()
    evaluated = Evaluation.objects.filter(agreement__government=admin.government).order_by("pk").first().agreement
    period = selectors.parse_period(str(timezone.localdate().year))
    report = selectors.periodic_report(selectors.scope_for_user(admin), period)
    files = {
        "draft-ksb.docx": render_draft(ksb),
        "draft-pks.docx": render_draft(pks),
        "periodic-report.pdf": render.periodic_pdf(report, "id"),
        "periodic-report.docx": render.periodic_docx(report, "id"),
        "fact-sheet.pdf": render.fact_sheet_pdf(selectors.fact_sheet(admin, pks.pk), "id"),
        "evaluation-report.pdf": render.evaluation_pdf(selectors.fact_sheet(admin, evaluated.pk), "id"),
        "cover-letter.pdf": letters.cover_letter_pdf(admin.government, period, "id"),
        "cover-letter.docx": letters.cover_letter_docx(admin.government, period, "id"),
    }
    paths = {}
    for name, content in files.items():
        path = folder / name
        path.write_bytes(content)
        paths[name] = path
    return paths


def to_png(path: Path, folder: Path, page: int = 1) -> Path:
    pdf = path
    if path.suffix == ".docx":
        subprocess.run(  # noqa: S603 - our own files, fixed arguments
            [shutil.which("libreoffice"), "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(path)],
            check=True,
            capture_output=True,
        )
        pdf = folder / f"{path.stem}.pdf"
    target = OUT / f"{path.stem}-{path.suffix[1:]}"
    subprocess.run(  # noqa: S603 - our own files, fixed arguments
        [
            shutil.which("pdftoppm"),
            "-png",
            "-r",
            "60",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(target),
        ],
        check=True,
    )
    return target.with_suffix(".png")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="jalin-docs-") as name:
        folder = Path(name)
        paths = build(folder)
        docx_folder = folder / "from-docx"
        docx_folder.mkdir()
        for path in paths.values():
            # a DOCX converts next to a PDF of the same stem: keep them apart
            print(to_png(path, docx_folder if path.suffix == ".docx" else folder))


if __name__ == "__main__":
    main()
