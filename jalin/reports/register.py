"""The register as XLSX or CSV, streamed: agreements are fetched REPORTS_CHUNK_SIZE at a time
(with their partners prefetched per chunk) and written row by row, so 100,000 agreements
never sit in memory at once. The columns are the ones the register import reads, so an
export can be imported back."""

import csv
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from jalin.agreements.models import AgreementParty, Category, Financing, Kind, Status
from jalin.imports.parsing import FIELDS
from jalin.partners.models import PartnerType

KEYS = [
    "number",
    "title",
    "kind",
    "category",
    "partners",
    "partner_type",
    "partner_number",
    "lead_agency",
    "signed_on",
    "effective_on",
    "ends_on",
    "financing",
    "value",
    "object",
    "scope",
    "intended_benefits",
    "dprd_approval_ref",
    "parent_number",
    "status",
    "government",
]


def _labels(choices) -> dict[str, str]:
    # Translated once per export: get_FOO_display() re-translates a lazy label on every call,
    # which was half the time of a 100,000-row export.
    return {value: str(label) for value, label in choices}


def readers() -> list[Callable]:
    """How each column is read from an agreement, in the language active now."""
    kinds, categories = _labels(Kind.choices), _labels(Category.choices)
    financing, statuses, types = _labels(Financing.choices), _labels(Status.choices), _labels(PartnerType.choices)

    def party_numbers(a) -> str:
        numbers = [p.party_number for p in a.export_parties]
        return "\n".join(numbers) if any(numbers) else ""

    table = {
        "number": lambda a: a.number,
        "title": lambda a: a.title,
        "kind": lambda a: kinds.get(a.kind, a.kind),
        "category": lambda a: categories.get(a.category, a.category),
        "partners": lambda a: "\n".join(p.partner.name for p in a.export_parties),
        "partner_type": lambda a: "\n".join(types.get(p.partner.partner_type, "") for p in a.export_parties),
        "partner_number": party_numbers,
        "lead_agency": lambda a: a.lead_agency.name,
        "signed_on": lambda a: a.signed_on,
        "effective_on": lambda a: a.effective_on,
        "ends_on": lambda a: a.ends_on,
        "financing": lambda a: financing.get(a.financing, a.financing),
        "value": lambda a: a.value,
        "object": lambda a: a.object,
        "scope": lambda a: a.scope,
        "intended_benefits": lambda a: a.intended_benefits,
        "dprd_approval_ref": lambda a: a.dprd_approval_ref,
        "parent_number": lambda a: a.parent.number if a.parent_id else "",
        "status": lambda a: statuses[a.derived_status],
        "government": lambda a: f"{a.government.code} {a.government.name}",
    }
    return [table[key] for key in KEYS]


def headers() -> list[str]:
    extra = {"status": _("Status"), "government": _("Government")}
    return [str(FIELDS.get(key) or extra[key]) for key in KEYS]


def register_queryset(queryset: QuerySet) -> QuerySet:
    return (
        queryset.select_related("lead_agency", "parent", "government")
        .prefetch_related(
            Prefetch("parties", queryset=AgreementParty.objects.select_related("partner").order_by("position", "id"))
        )
        .with_status()
    )


def rows(queryset: QuerySet, *, progress=None) -> Iterator[list]:
    """One list of cell values per agreement, streamed chunk by chunk."""
    total = queryset.count() if progress else 0
    columns = readers()
    for index, agreement in enumerate(register_queryset(queryset).iterator(chunk_size=settings.REPORTS_CHUNK_SIZE)):
        if progress and index % 500 == 0:
            progress(int(95 * index / max(total, 1)))
        agreement.export_parties = list(agreement.parties.all())  # the prefetched parties, listed once
        yield [reader(agreement) for reader in columns]


def _safe_text(value):
    """Text a spreadsheet would run as a formula is written with a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "@") and not value[1:2].isdigit():
        return "'" + value
    return value


def write_csv(queryset: QuerySet, handle, *, progress=None) -> int:
    """UTF-8 with BOM and ';' so Excel in an Indonesian locale opens it as a table."""
    handle.write("\ufeff")
    writer = csv.writer(handle, delimiter=";")
    writer.writerow(headers())
    count = 0
    for row in rows(queryset, progress=progress):
        writer.writerow(
            [
                "" if value is None else value.strftime("%d-%m-%Y") if hasattr(value, "strftime") else _safe_text(value)
                for value in row
            ]
        )
        count += 1
    return count


def write_xlsx(queryset: QuerySet, path, *, progress=None) -> int:
    """openpyxl in write-only mode: rows go to disk as they are written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Register")[:31])
    sheet.freeze_panes = "A2"
    sheet.append(headers())
    count = 0
    date_columns = {index for index, key in enumerate(KEYS) if key in ("signed_on", "effective_on", "ends_on")}
    for row in rows(queryset, progress=progress):
        cells = []
        for index, value in enumerate(row):
            if index in date_columns and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "DD-MM-YYYY"
                cells.append(cell)
            elif isinstance(value, str):
                cells.append(_safe_text(value))
            else:
                cells.append(value)
        sheet.append(cells)
        count += 1
    workbook.save(path)
    return count
