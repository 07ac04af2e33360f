"""The register as XLSX or CSV, streamed: agreements are read REPORTS_CHUNK_SIZE at a time
as plain values (no model instances), each chunk's parties with one more query, and rows
are written one by one, so 100,000 agreements never sit in memory at once. The columns are
the ones the register import reads, so an export can be imported back."""

import csv
from collections import defaultdict
from collections.abc import Iterator
from itertools import islice

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jalin.agreements.models import AgreementParty, Category, Financing, Kind, Status
from jalin.imports.parsing import FIELDS
from jalin.lib.text import spreadsheet_cell
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
DATE_KEYS = ("signed_on", "effective_on", "ends_on")

# What one agreement row is read as: only the exported columns, the related names joined in
# the same query. Building 100,000 model instances (with their agency, parent and government,
# and a prefetch queryset each) was most of an export's time.
_VALUES = (
    "pk",
    "number",
    "title",
    "kind",
    "category",
    "lead_agency__name",
    "signed_on",
    "effective_on",
    "ends_on",
    "financing",
    "value",
    "object",
    "scope",
    "intended_benefits",
    "dprd_approval_ref",
    "parent__number",
    "derived_status",
    "government__code",
    "government__name",
)


def _labels(choices) -> dict[str, str]:
    # Translated once per export: get_FOO_display() re-translates a lazy label on every call,
    # which was half the time of a 100,000-row export.
    return {value: str(label) for value, label in choices}


def headers() -> list[str]:
    extra = {"status": _("Status"), "government": _("Government")}
    return [str(FIELDS.get(key) or extra[key]) for key in KEYS]


def _parties_of(agreement_ids: list[int]) -> dict[int, list[tuple]]:
    """(partner name, partner type, partner's number) of each agreement, in party order."""
    parties: dict[int, list[tuple]] = defaultdict(list)
    rows = (
        AgreementParty.objects.filter(agreement_id__in=agreement_ids)
        .order_by("position", "id")
        .values_list("agreement_id", "partner__name", "partner__partner_type", "party_number")
    )
    for agreement_id, name, partner_type, number in rows:
        parties[agreement_id].append((name, partner_type, number))
    return parties


def rows(queryset: QuerySet, *, progress=None) -> Iterator[list]:
    """One list of cell values per agreement (in KEYS order), streamed chunk by chunk: one
    query for the agreements (a server-side cursor on PostgreSQL) and one per chunk for
    their parties."""
    total = queryset.count() if progress else 0
    kinds, categories = _labels(Kind.choices), _labels(Category.choices)
    financing, statuses, types = _labels(Financing.choices), _labels(Status.choices), _labels(PartnerType.choices)
    size = settings.REPORTS_CHUNK_SIZE
    records = queryset.prefetch_related(None).with_status().values_list(*_VALUES).iterator(chunk_size=size)
    index = 0
    while chunk := list(islice(records, size)):
        parties = _parties_of([record[0] for record in chunk])
        for (
            pk,
            number,
            title,
            kind,
            category,
            lead_agency,
            signed_on,
            effective_on,
            ends_on,
            funding,
            value,
            object_,
            scope,
            benefits,
            dprd_ref,
            parent_number,
            status,
            government_code,
            government_name,
        ) in chunk:
            if progress and index % 500 == 0:
                progress(int(95 * index / max(total, 1)))
            index += 1
            own = parties.get(pk, ())
            numbers = [party[2] for party in own]
            yield [
                number,
                title,
                kinds.get(kind, kind),
                categories.get(category, category),
                "\n".join(party[0] for party in own),
                "\n".join(types.get(party[1], "") for party in own),
                "\n".join(numbers) if any(numbers) else "",
                lead_agency,
                signed_on,
                effective_on,
                ends_on,
                financing.get(funding, funding),
                value,
                object_,
                scope,
                benefits,
                dprd_ref,
                parent_number or "",
                statuses[status],
                f"{government_code} {government_name}",
            ]


def write_csv(queryset: QuerySet, handle, *, progress=None) -> int:
    """UTF-8 with BOM and ';' so Excel in an Indonesian locale opens it as a table."""
    handle.write("\ufeff")
    writer = csv.writer(handle, delimiter=";")
    writer.writerow(headers())
    count = 0
    for row in rows(queryset, progress=progress):
        writer.writerow(
            [
                ""
                if value is None
                else value.strftime("%d-%m-%Y")
                if hasattr(value, "strftime")
                else spreadsheet_cell(value)
                for value in row
            ]
        )
        count += 1
    return count


def write_xlsx(queryset: QuerySet, path, *, progress=None) -> int:
    """openpyxl in write-only mode: rows go to disk as they are written. Empty text is
    written as no cell at all (it reads back the same, and openpyxl's per-cell work is
    most of an XLSX export's time)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Register")[:31])
    sheet.freeze_panes = "A2"
    sheet.append(headers())
    count = 0
    date_columns = [KEYS.index(key) for key in DATE_KEYS]
    for row in rows(queryset, progress=progress):
        cells = [None if value == "" else spreadsheet_cell(value) for value in row]
        for index in date_columns:
            if cells[index] is not None:
                cell = WriteOnlyCell(sheet, value=cells[index])
                cell.number_format = "DD-MM-YYYY"
                cells[index] = cell
        sheet.append(cells)
        count += 1
    workbook.save(path)
    return count
