"""Reading a register as officers really keep it: .xlsx or .csv, a title block above the
header row, merged (two-row) headers, Indonesian header variants, blank and subtotal rows,
dates and amounts typed as text.

Nothing here touches the database. `read_table()` checks the file and returns a `Table`
(the detected header and the data rows with their spreadsheet row numbers); the value
parsers turn one cell into a date, an amount, a list of partner names... or raise
`CellProblem` with a message the officer can act on.

Hostile files are refused before anything is parsed: not a spreadsheet, an encrypted
(password-protected) or corrupt workbook, macros, a zip bomb, too many rows. Workbooks are
read with openpyxl in read-only mode and rows are streamed, so memory stays bounded by
IMPORT_MAX_ROWS whatever the file claims.
"""

import codecs
import csv
import datetime
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
HEADER_SCAN_ROWS = 30
MAX_CELL_CHARS = 5000
# This many blank rows in a row end the table (sheets are often formatted far below the data).
MAX_BLANK_RUN = 1000
# A part smaller than this is never refused for its compression ratio (a small, very
# regular sheet compresses well).
ZIP_RATIO_FLOOR = 5 * 1024 * 1024


class CellProblem(ValueError):
    """A cell value that cannot be read; the message is shown with the row and column."""


# Target fields -------------------------------------------------------------------------

FIELDS = {
    "number": gettext_lazy("Our number"),
    "partner_number": gettext_lazy("Partner's number"),
    "title": gettext_lazy("Title"),
    "partners": gettext_lazy("Partners"),
    "partner_type": gettext_lazy("Partner type"),
    "kind": gettext_lazy("Document kind"),
    "category": gettext_lazy("Category"),
    "lead_agency": gettext_lazy("Lead agency"),
    "signed_on": gettext_lazy("Signed on"),
    "effective_on": gettext_lazy("Effective from"),
    "ends_on": gettext_lazy("Ends on"),
    "financing": gettext_lazy("Financing"),
    "value": gettext_lazy("Value (Rp)"),
    "object": gettext_lazy("Object of cooperation"),
    "scope": gettext_lazy("Scope"),
    "intended_benefits": gettext_lazy("Intended benefits"),
    "dprd_approval_ref": gettext_lazy("DPRD approval reference"),
    "parent_number": gettext_lazy("Parent document number"),
}

# Header names seen in real registers (normalised: lower case, punctuation as spaces).
# Exact matches first; then the keyword rules below.
HEADER_ALIASES = {
    "number": [
        "nomor",
        "no naskah",
        "nomor naskah",
        "nomor perjanjian",
        "no perjanjian",
        "no pks",
        "nomor pks",
        "nomor kerja sama",
        "nomor kerjasama",
        "no kerja sama",
        "nomor pihak pertama",
        "nomor pemda",
        "nomor naskah pemda",
        "nomor surat",
        "nomor dokumen",
        "our number",
        "number",
    ],
    "partner_number": [
        "nomor mitra",
        "no mitra",
        "nomor pihak kedua",
        "no pihak kedua",
        "nomor naskah mitra",
        "partner s number",
        "partner number",
    ],
    "title": [
        "judul",
        "judul kerja sama",
        "judul kerjasama",
        "judul naskah",
        "judul perjanjian",
        "tentang",
        "perihal",
        "nama kerja sama",
        "nama kerjasama",
        "uraian",
        "title",
    ],
    "partners": [
        "mitra",
        "mitra kerja sama",
        "mitra kerjasama",
        "nama mitra",
        "pihak kedua",
        "para pihak",
        "pihak",
        "partner",
        "partners",
    ],
    "partner_type": ["jenis mitra", "kategori mitra", "tipe mitra", "partner type"],
    "kind": [
        "jenis naskah",
        "jenis dokumen",
        "bentuk naskah",
        "bentuk kerja sama",
        "bentuk kerjasama",
        "bentuk",
        "document kind",
        "kind",
    ],
    "category": [
        "kategori",
        "kategori kerja sama",
        "kategori kerjasama",
        "jenis kerja sama",
        "jenis kerjasama",
        "klasifikasi",
        "category",
    ],
    "lead_agency": [
        "opd",
        "opd pelaksana",
        "opd penanggung jawab",
        "opd pengampu",
        "perangkat daerah",
        "perangkat daerah pelaksana",
        "pelaksana",
        "unit kerja",
        "skpd",
        "skpd pelaksana",
        "lead agency",
        "agency",
    ],
    "signed_on": [
        "tanggal",
        "tgl",
        "tanggal ttd",
        "tgl ttd",
        "tanggal penandatanganan",
        "tgl penandatanganan",
        "tanggal tanda tangan",
        "tgl tanda tangan",
        "tanggal naskah",
        "tanggal perjanjian",
        "tahun",
        "signed on",
    ],
    "effective_on": [
        "tanggal mulai",
        "tgl mulai",
        "mulai",
        "mulai berlaku",
        "berlaku mulai",
        "tanggal berlaku",
        "tmt",
        "effective from",
    ],
    "ends_on": [
        "tanggal berakhir",
        "tgl berakhir",
        "tanggal selesai",
        "tgl selesai",
        "berakhir",
        "selesai",
        "akhir",
        "berlaku sampai",
        "sampai dengan",
        "s d",
        "ends on",
    ],
    "financing": ["sumber dana", "sumber pembiayaan", "pembiayaan", "pendanaan", "financing"],
    "value": [
        "nilai",
        "nilai kerja sama",
        "nilai kerjasama",
        "nilai rp",
        "nilai kontrak",
        "anggaran",
        "anggaran rp",
        "value rp",
        "value",
    ],
    "object": ["objek", "objek kerja sama", "objek kerjasama", "object of cooperation"],
    "scope": ["ruang lingkup", "lingkup", "scope"],
    "intended_benefits": ["manfaat", "manfaat yang diharapkan", "intended benefits"],
    "dprd_approval_ref": ["persetujuan dprd", "nomor persetujuan dprd", "dprd approval reference"],
    "parent_number": [
        "naskah induk",
        "nomor induk",
        "nomor naskah induk",
        "nomor ksb",
        "induk",
        "parent document number",
    ],
}
_EXACT = {alias: key for key, aliases in HEADER_ALIASES.items() for alias in aliases}
# (keyword(s) that must all appear, field), tried in order when no exact alias matches.
_KEYWORD_RULES = [
    (("nomor", "mitra"), "partner_number"),
    (("nomor", "pihak kedua"), "partner_number"),
    (("nomor", "induk"), "parent_number"),
    (("jenis", "mitra"), "partner_type"),
    (("mulai",), "effective_on"),
    (("berakhir",), "ends_on"),
    (("selesai",), "ends_on"),
    (("sampai",), "ends_on"),
    (("s d",), "ends_on"),
    (("tgl",), "signed_on"),
    (("tanggal",), "signed_on"),
    (("nomor",), "number"),
    (("no",), "number"),
    (("judul",), "title"),
    (("tentang",), "title"),
    (("mitra",), "partners"),
    (("pihak",), "partners"),
    (("opd",), "lead_agency"),
    (("perangkat daerah",), "lead_agency"),
    (("pelaksana",), "lead_agency"),
    (("naskah",), "kind"),
    (("bentuk",), "kind"),
    (("kategori",), "category"),
    (("nilai",), "value"),
    (("anggaran",), "value"),
    (("dana",), "financing"),
    (("biaya",), "financing"),
    (("lingkup",), "scope"),
    (("objek",), "object"),
    (("manfaat",), "intended_benefits"),
    (("dprd",), "dprd_approval_ref"),
]
# Columns that are never data: row numbers and remarks.
_IGNORED_HEADERS = {"no", "no urut", "nomor urut", "#", "keterangan", "ket", "catatan", "status", "remarks"}


def normalise_header(text) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


_LABELS: dict[str, str] = {}


def _field_labels() -> dict[str, str]:
    """Jalin's own column names (the register export) in every language."""
    if not _LABELS:
        from django.utils import translation

        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for key, label in FIELDS.items():
                    _LABELS.setdefault(normalise_header(str(label)), key)
    return _LABELS


def guess_field(label: str) -> str | None:
    key = normalise_header(label)
    if not key or key in _IGNORED_HEADERS:
        return None
    if key in _EXACT:
        return _EXACT[key]
    labels = _field_labels()
    if key in labels:
        return labels[key]
    padded = f" {key} "
    for words, target in _KEYWORD_RULES:
        if all(f" {word} " in padded for word in words):
            return target
    return None


# Reading the file ----------------------------------------------------------------------


@dataclass
class Column:
    index: int
    letter: str
    label: str
    guess: str | None


@dataclass
class Row:
    number: int  # the row number the officer sees in the spreadsheet
    cells: list
    sheet: str = ""


def mapping_key(table_index: int, column_index: int) -> str:
    """Mapping keys: the column index for the first register sheet ("3", as ever), "sheet:column"
    for the others ("1:3")."""
    return str(column_index) if table_index == 0 else f"{table_index}:{column_index}"


def split_key(key) -> tuple[int, int]:
    table, _sep, column = str(key).rpartition(":")
    return int(table or 0), int(column)


@dataclass
class Table:
    """One sheet's register table."""

    sheet: str
    header_row: int
    columns: list[Column]
    rows: list[Row]

    def guessed_mapping(self, table_index: int = 0) -> dict[str, str]:
        """column key -> field; each field taken by its first column only."""
        mapping, taken = {}, set()
        for column in self.columns:
            if column.guess and column.guess not in taken:
                mapping[mapping_key(table_index, column.index)] = column.guess
                taken.add(column.guess)
        return mapping


@dataclass
class Register:
    """Every sheet of a workbook that holds a register table (a CSV has one), and the
    sheets skipped with the reason. The first table's attributes are the register's
    (`columns`, `rows`, `header_row`, `sheet`) for callers that read one sheet."""

    tables: list[Table]
    skipped: list[tuple[str, str]]

    @property
    def sheet(self) -> str:
        return self.tables[0].sheet

    @property
    def header_row(self) -> int:
        return self.tables[0].header_row

    @property
    def columns(self) -> list[Column]:
        return self.tables[0].columns

    @property
    def rows(self) -> list[Row]:
        return [row for table in self.tables for row in table.rows]

    @property
    def row_count(self) -> int:
        return sum(len(table.rows) for table in self.tables)

    def guessed_mapping(self) -> dict[str, str]:
        mapping = {}
        for index, table in enumerate(self.tables):
            mapping.update(table.guessed_mapping(index))
        return mapping

    def column_keys(self) -> set[str]:
        return {mapping_key(t, column.index) for t, table in enumerate(self.tables) for column in table.columns}


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _refuse(message: str) -> None:
    raise ValidationError(message, code="bad_file")


def check_workbook_bytes(head: bytes, handle, name: str) -> None:
    """Refuse what is not a plain .xlsx before openpyxl ever parses it."""
    if head.startswith(OLE2_MAGIC):
        _refuse(
            _(
                "%(name)s is password-protected (encrypted) or in the old .xls format. Open it in Excel, "
                "remove the password if there is one, and save it as an .xlsx workbook."
            )
            % {"name": name}
        )
    if not head.startswith(ZIP_MAGIC):
        _refuse(_("%(name)s is not an Excel workbook. Upload an .xlsx or .csv file.") % {"name": name})
    try:
        handle.seek(0)
        archive = zipfile.ZipFile(handle)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        _refuse(_("%(name)s is damaged. Open it in Excel and save it again as .xlsx.") % {"name": name})
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        _refuse(_("%(name)s is not an Excel workbook. Upload an .xlsx or .csv file.") % {"name": name})
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        _refuse(
            _("%(name)s contains macros. Save it as a plain .xlsx workbook (without macros) and upload again.")
            % {"name": name}
        )
    limit = settings.IMPORT_MAX_UNCOMPRESSED_MB * 1024 * 1024
    total = sum(info.file_size for info in infos)
    if len(infos) > 2000 or total > limit:
        _refuse(
            _("%(name)s unpacks to more than %(limit)s; it is not a register Jalin can read. Remove unneeded sheets.")
            % {"name": name, "limit": filesizeformat(limit)}
        )
    _check_parts(archive, infos, name)
    handle.seek(0)


def _check_parts(archive: zipfile.ZipFile, infos: list, name: str) -> None:
    """Per-part limits, read from the zip directory (and the first bytes of the shared
    strings): a part that inflates far more than any real sheet does, and a shared-strings
    table larger than a register needs, are refused before openpyxl loads them (openpyxl
    reads every shared string into memory when the workbook is opened)."""
    ratio = settings.IMPORT_MAX_ZIP_RATIO
    for info in infos:
        if info.file_size > ZIP_RATIO_FLOOR and info.file_size > ratio * max(info.compress_size, 1):
            _refuse(
                _(
                    "%(name)s holds a part that unpacks %(ratio)d times larger than it is stored; it is not a "
                    "register Jalin can read. Copy the table into a new workbook and save it as .xlsx."
                )
                % {"name": name, "ratio": info.file_size // max(info.compress_size, 1)}
            )
    strings = next((info for info in infos if info.filename.lower() == "xl/sharedstrings.xml"), None)
    if strings is None:
        return
    too_many = _(
        "%(name)s holds more text than a register of %(rows)d rows can (%(what)s). Copy the table into a new "
        "workbook, paste it as values and save it as .xlsx."
    )
    max_bytes = settings.IMPORT_MAX_SHARED_STRINGS_MB * 1024 * 1024
    if strings.file_size > max_bytes:
        what = _("%(size)s of shared text") % {"size": filesizeformat(strings.file_size)}
        _refuse(too_many % {"name": name, "rows": settings.IMPORT_MAX_ROWS, "what": what})
    with archive.open(strings) as part:
        head = part.read(4096).decode("utf-8", "replace")
    declared = re.search(r"""\b(?:uniqueCount|count)\s*=\s*["'](\d+)["']""", head)
    if declared and int(declared.group(1)) > settings.IMPORT_MAX_SHARED_STRINGS:
        what = _("%(count)s shared strings") % {"count": declared.group(1)}
        _refuse(too_many % {"name": name, "rows": settings.IMPORT_MAX_ROWS, "what": what})


def check_file(handle, name: str) -> None:
    """The cheap checks of a file (size, type, the zip directory), without parsing it: what
    the upload request does before the file goes to the background queue."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    _check_size(handle)
    head = handle.read(8192)
    handle.seek(0)
    if ext == "xlsx":
        check_workbook_bytes(head, handle, name)
    elif ext in ("csv", "txt"):
        if b"\x00" in head or head.startswith((ZIP_MAGIC, OLE2_MAGIC, b"%PDF")):
            _refuse(_("%(name)s is not a CSV text file. Upload an .xlsx or .csv file.") % {"name": name})
    elif ext == "xlsm":
        _refuse(
            _("%(name)s is a macro-enabled workbook. Save it as a plain .xlsx workbook and upload again.")
            % {"name": name}
        )
    elif ext == "xls":
        check_workbook_bytes(head, handle, name)
    else:
        _refuse(_("Files of type .%(ext)s cannot be imported. Upload an .xlsx or .csv file.") % {"ext": ext})
    handle.seek(0)


def _check_size(handle) -> None:
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    max_bytes = settings.IMPORT_MAX_MB * 1024 * 1024
    if size == 0:
        _refuse(_("The file is empty."))
    if size > max_bytes:
        _refuse(
            _("The file is %(size)s; the largest register Jalin imports is %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(max_bytes)}
        )


def read_table(handle, name: str) -> Register:
    """Check and read an uploaded register. Raises ValidationError with one clear message."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    max_bytes = settings.IMPORT_MAX_MB * 1024 * 1024
    if size == 0:
        _refuse(_("The file is empty."))
    if size > max_bytes:
        _refuse(
            _("The file is %(size)s; the largest register Jalin imports is %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(max_bytes)}
        )
    head = handle.read(8192)
    handle.seek(0)
    if ext in ("xlsx", "xlsm", "xls"):
        if ext == "xlsm":
            _refuse(
                _("%(name)s is a macro-enabled workbook. Save it as a plain .xlsx workbook and upload again.")
                % {"name": name}
            )
        check_workbook_bytes(head, handle, name)
        return _xlsx_register(handle, name)
    if ext in ("csv", "txt"):
        if b"\x00" in head or head.startswith((ZIP_MAGIC, OLE2_MAGIC, b"%PDF")):
            _refuse(_("%(name)s is not a CSV text file. Upload an .xlsx or .csv file.") % {"name": name})
        return Register(tables=[_build_table(_csv_rows(handle), name, 0)], skipped=[])
    _refuse(_("Files of type .%(ext)s cannot be imported. Upload an .xlsx or .csv file.") % {"ext": ext})


def _xlsx_register(handle, name: str) -> Register:
    """Every visible sheet whose first rows hold a register header is read (KSB/MoU on one
    sheet, PKS on another); the others are named with the reason they were skipped."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(handle, read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds of errors on a broken package
        _refuse(_("%(name)s is damaged. Open it in Excel and save it again as .xlsx.") % {"name": name})
    tables, skipped = [], []
    try:
        for sheet in workbook.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                skipped.append((sheet.title, _("hidden sheet")))
                continue
            try:
                table = _build_table((sheet.title, _sheet_rows(sheet, name)), name, sum(len(t.rows) for t in tables))
            except NoHeader:
                skipped.append((sheet.title, _("no register header (Nomor, Judul, Mitra, OPD …) in its first rows")))
                continue
            if not table.rows:
                skipped.append((sheet.title, _("a header but no rows")))
                continue
            tables.append(table)
    finally:
        workbook.close()
    if not tables:
        if not skipped:
            _refuse(_("%(name)s has no visible worksheet.") % {"name": name})
        _refuse(
            _(
                "No header row was found in the first %(rows)d rows of any sheet of %(name)s. The register needs a "
                "row with column names such as Nomor, Judul, Mitra, OPD Pelaksana, Tanggal."
            )
            % {"rows": HEADER_SCAN_ROWS, "name": name}
        )
    return Register(tables=tables, skipped=skipped)


def _sheet_rows(sheet, name: str):
    try:
        for number, row in enumerate(sheet.iter_rows(max_col=settings.IMPORT_MAX_COLUMNS, values_only=False), start=1):
            cells = []
            for cell in row:
                value = getattr(cell, "value", None)
                if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=")):
                    cells.append(Formula(str(value)))
                else:
                    cells.append(value)
            yield number, cells
    except ValidationError:
        raise
    except Exception:
        _refuse(_("%(name)s is damaged. Open it in Excel and save it again as .xlsx.") % {"name": name})


class NoHeader(Exception):
    """A sheet without a register header in its first rows."""


class Formula(str):
    """A cell holding a formula instead of a value (refused in agreement rows)."""


def _csv_rows(handle):
    head = handle.read(65536)
    handle.seek(0)
    encoding = "utf-8-sig"
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # not just a character cut at the end of the sample
            encoding = "cp1252"
    sample = head.decode(encoding, errors="replace")
    try:
        dialect = csv.Sniffer().sniff(sample[:20000], delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
    text = codecs.getreader(encoding)(handle, errors="replace")

    def rows():
        reader = csv.reader(text, delimiter=delimiter)
        try:
            for number, cells in enumerate(reader, start=1):
                out = []
                for value in cells[: settings.IMPORT_MAX_COLUMNS]:
                    out.append(Formula(value) if value.startswith("=") else value)
                yield number, out
        except csv.Error:
            _refuse(_("The CSV file could not be read: check that it is a plain text table."))

    return "CSV", rows()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _combine_headers(group: list, header: list) -> list[str]:
    """A two-row header: the upper row's merged cell ("Tanggal") spans the lower row's
    labels ("Mulai", "Berakhir"). Merged cells are read as a value in the first column
    and blanks after it, so the upper row is carried to the right over the blanks."""
    labels, carried = [], ""
    for index in range(max(len(group), len(header))):
        upper = _text(group[index]) if index < len(group) else ""
        lower = _text(header[index]) if index < len(header) else ""
        if upper:
            carried = upper
        if lower and carried and normalise_header(carried) != normalise_header(lower):
            combined = f"{carried} {lower}"
            labels.append(combined if guess_field(combined) else lower)
        else:
            labels.append(lower or upper)
    return labels


def _score(labels: list[str]) -> int:
    return len({guess_field(label) for label in labels} - {None})


def _build_table(raw, name: str, rows_before: int) -> Table:
    """One sheet's table; `rows_before` data rows were read from earlier sheets (the row
    limit is the workbook's)."""
    sheet, rows = raw
    head: list[tuple[int, list]] = []
    for number, cells in rows:
        head.append((number, cells))
        if len(head) >= HEADER_SCAN_ROWS:
            break
    best = (0, None, None)  # score, index in head, labels
    for index, (_number, cells) in enumerate(head):
        labels = [_text(cell) for cell in cells]
        candidates = [labels]
        if index > 0:
            candidates.append(_combine_headers(head[index - 1][1], cells))
        for candidate in candidates:
            score = _score(candidate)
            if score > best[0]:
                best = (score, index, candidate)
    score, header_index, labels = best
    if score < 2:
        if sheet != "CSV":
            raise NoHeader
        _refuse(
            _(
                "No header row was found in the first %(rows)d rows of %(name)s. The register needs a row with "
                "column names such as Nomor, Judul, Mitra, OPD Pelaksana, Tanggal."
            )
            % {"rows": HEADER_SCAN_ROWS, "name": name}
        )
    # A two-row header whose lower row is the best match: the upper one is not data either.
    columns = [
        Column(index=i, letter=column_letter(i), label=label, guess=guess_field(label))
        for i, label in enumerate(labels)
        if label
    ]
    header_row = head[header_index][0]
    table = Table(sheet=sheet, header_row=header_row, columns=columns, rows=[])
    limit = settings.IMPORT_MAX_ROWS

    def after_header():
        yield from head[header_index + 1 :]
        yield from rows

    blank_run = 0
    for number, cells in after_header():
        values = list(cells)
        while values and values[-1] in (None, ""):
            values.pop()
        if not any(_text(value) for value in values):
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:  # formatted but empty rows to the bottom of the sheet
                break
            continue
        blank_run = 0
        # The units row under a header ("(1)", "(2)", ...) is not data either.
        if all(re.fullmatch(r"\(?\d{1,2}\)?", _text(value)) for value in values if _text(value)) and (
            number <= header_row + 2
        ):
            continue
        table.rows.append(Row(number=number, cells=values, sheet=sheet))
        if rows_before + len(table.rows) > limit:
            _refuse(
                _(
                    "%(name)s has more than %(limit)d rows. Split the register into files of at most %(limit)d rows "
                    "and import them one after another."
                )
                % {"name": name, "limit": limit}
            )
    return table


# Cell parsers --------------------------------------------------------------------------

MONTHS = {
    "januari": 1,
    "january": 1,
    "jan": 1,
    "februari": 2,
    "pebruari": 2,
    "february": 2,
    "feb": 2,
    "peb": 2,
    "maret": 3,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "june": 6,
    "jun": 6,
    "juli": 7,
    "july": 7,
    "jul": 7,
    "agustus": 8,
    "august": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "october": 10,
    "okt": 10,
    "oct": 10,
    "november": 11,
    "nopember": 11,
    "nov": 11,
    "nop": 11,
    "desember": 12,
    "december": 12,
    "des": 12,
    "dec": 12,
}


def text_value(value) -> str:
    text = _text(value)
    if text in ("-", "–", "—"):
        return ""
    if len(text) > MAX_CELL_CHARS:
        raise CellProblem(_("The text is longer than %(limit)d characters.") % {"limit": MAX_CELL_CHARS})
    return text


def parse_date(value, *, end_of_period: bool = False) -> tuple[datetime.date | None, bool]:
    """A date from a real date cell or Indonesian text. Returns (date, year_only)."""
    if value is None:
        return None, False
    if isinstance(value, datetime.datetime):
        return value.date(), False
    if isinstance(value, datetime.date):
        return value, False
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = int(value)
        if 1900 <= number <= 2100 and number == value:
            return (datetime.date(number, 12, 31) if end_of_period else datetime.date(number, 1, 1)), True
        if 20000 < number < 80000:  # an Excel serial day number kept as a plain number
            return datetime.date(1899, 12, 30) + datetime.timedelta(days=number), False
        raise CellProblem(_("%(value)s is not a date.") % {"value": value})
    text = text_value(value)
    if not text:
        return None, False
    lowered = text.lower().replace(",", " ").strip()
    lowered = re.sub(r"^(senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad)\s+", "", lowered)
    try:
        if match := re.fullmatch(r"(\d{4})", lowered):
            year = int(match.group(1))
            if not 1900 <= year <= 2100:
                raise ValueError
            return (datetime.date(year, 12, 31) if end_of_period else datetime.date(year, 1, 1)), True
        if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?", lowered):
            return datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3))), False
        if match := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})", lowered):
            year = int(match.group(3))
            year = year + 2000 if year < 100 else year
            return datetime.date(year, int(match.group(2)), int(match.group(1))), False
        if match := re.fullmatch(r"(\d{1,2})[\s\-/.]+([a-z]+)\.?[\s\-/.]+(\d{4})", lowered):
            month = MONTHS.get(match.group(2))
            if month:
                return datetime.date(int(match.group(3)), month, int(match.group(1))), False
        if match := re.fullmatch(r"([a-z]+)\s+(\d{4})", lowered):
            month = MONTHS.get(match.group(1))
            if month:
                year = int(match.group(2))
                if end_of_period:
                    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
                    return following - datetime.timedelta(days=1), False
                return datetime.date(year, month, 1), False
    except ValueError:
        pass
    raise CellProblem(
        _("“%(value)s” is not a date Jalin can read. Write it as 12 Januari 2023, 12-01-2023 or 2023.")
        % {"value": text[:60]}
    )


_SCALE = {"juta": Decimal(10**6), "jt": Decimal(10**6), "miliar": Decimal(10**9), "milyar": Decimal(10**9)}


def parse_amount(value) -> Decimal | None:
    """'Rp 1.500.000.000,00' -> Decimal('1500000000.00'); plain numbers as they are."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
    else:
        text = text_value(value).lower()
        if not text:
            return None
        scale = Decimal(1)
        for word, factor in _SCALE.items():
            if re.search(rf"\b{word}\b", text):
                scale = factor
                text = re.sub(rf"\b{word}\b", "", text)
        text = re.sub(r"(rp\.?|idr|,-|\s)", "", text)
        text = text.rstrip(".-")
        if not re.fullmatch(r"\d[\d.,]*", text or "x"):
            raise CellProblem(
                _("“%(value)s” is not an amount. Write it as Rp 1.500.000.000,00 or 1500000000.")
                % {"value": _text(value)[:60]}
            )
        if "," in text and "." in text:
            decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        elif "," in text:
            decimal_mark = "," if re.search(r",\d{1,2}$", text) and text.count(",") == 1 else None
        elif "." in text:
            decimal_mark = "." if re.search(r"\.\d{1,2}$", text) and text.count(".") == 1 else None
        else:
            decimal_mark = None
        if decimal_mark:
            whole, _sep, cents = text.rpartition(decimal_mark)
            text = re.sub(r"[.,]", "", whole) + "." + cents
        else:
            text = re.sub(r"[.,]", "", text)
        try:
            amount = Decimal(text) * scale
        except InvalidOperation:
            raise CellProblem(_("“%(value)s” is not an amount.") % {"value": _text(value)[:60]}) from None
    if amount < 0:
        raise CellProblem(_("The amount cannot be negative."))
    if amount >= Decimal(10) ** 16:
        raise CellProblem(_("The amount is too large."))
    return amount.quantize(Decimal("0.01"))


_LIST_SPLIT = re.compile(r"\s*(?:\n|;|\|)\s*")
_ENUMERATION = re.compile(r"^\s*(?:\d{1,2}|[a-z])[.)]\s+", re.IGNORECASE)


_FIRST_MARKER = re.compile(r"^\s*1[.)]\s+")


def _split_enumeration(text: str) -> list[str]:
    """'1) 620/31/PKS/DPU/2023 2) 180/44/PKS/HK/2023': split at the markers 2), 3), … in
    sequence, so an item may itself begin with a digit (a number) without being cut."""
    parts, position, expected = [], 0, 2
    while True:
        marker = re.compile(rf"\s+{expected}[.)]\s+").search(text, position)
        if marker is None:
            parts.append(text[position:])
            return parts
        parts.append(text[position : marker.start()])
        position, expected = marker.start(), expected + 1


def parse_list(value) -> list[str]:
    """Several partners (or partner numbers) in one cell: one per line, or separated by ';',
    optionally numbered ('1. Universitas Lampung 2. PT Bank Lampung')."""
    text = text_value(value)
    if not text:
        return []
    # One per line (as Jalin's export writes them): then only lines separate partners, so a
    # name with a ';' in it survives. Otherwise ';' or '|' separate, and "1. A 2. B" is a list.
    if "\n" in text:
        parts = text.split("\n")
    elif _FIRST_MARKER.match(text):
        parts = _split_enumeration(text)
    else:
        text = re.sub(r"\s+(?=\d{1,2}[.)]\s+\D)", "\n", text)
        parts = _LIST_SPLIT.split(text)
    items = []
    for part in parts:
        part = _ENUMERATION.sub("", part).strip(" ,-•")
        if part:
            items.append(part)
    return items


def is_subtotal_row(texts: list[str]) -> bool:
    first = next((text for text in texts if text), "")
    return bool(re.match(r"^(sub\s*-?\s*total|jumlah|total|grand total)\b", first.strip().lower()))
