"""The import report: every row, what happened and why, as an XLSX workbook."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from jalin.imports.models import RegisterImport
from jalin.lib.text import spreadsheet_cell


def _cell(value) -> str:
    """Text a spreadsheet could run as a formula is written as text (the one escape, jalin/lib/text.py)."""
    return spreadsheet_cell("" if value is None else str(value))


def _action_labels() -> dict[str, str]:
    return {
        "create": _("create"),
        "update": _("update"),
        "unchanged": _("unchanged"),
        "skip": _("skipped"),
        "error": _("problem"),
    }


def report_xlsx(register_import: RegisterImport) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Import report"))
    sheet.append([_("Sheet"), _("Row"), _("Action"), _("Number"), _("Title"), _("Partners"), _("New partners"),
                  _("Changes"), _("Problems"), _("Notes"), _("Agreement")])  # fmt: skip
    labels = _action_labels()
    for row in register_import.staged_rows.all().iterator(chunk_size=1000):
        detail = row.detail

        def lines(items):
            return "\n".join(f"{column}: {message}" if column else message for column, message in items)

        sheet.append(
            [
                _cell(row.sheet),
                row.row,
                labels.get(row.action, row.action),
                _cell(row.number),
                _cell(row.title),
                _cell("; ".join(detail.get("partners", []))),
                _cell("; ".join(detail.get("new_partners", []))),
                _cell(", ".join(detail.get("changes", []))),
                _cell(lines(detail.get("problems", []))),
                _cell(lines(detail.get("notes", []))),
                row.agreement_id,
            ]
        )
    if register_import.skipped_sheets:
        skipped = workbook.create_sheet(_("Skipped sheets"))
        skipped.append([_("Sheet"), _("Reason")])
        for name, reason in register_import.skipped_sheets:
            skipped.append([_cell(name), _cell(reason)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
