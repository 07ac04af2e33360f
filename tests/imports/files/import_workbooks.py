"""Messy registers as officers really keep them, built in code (no binary fixtures).

Each builder returns the file's bytes. Pesawaran's world (tests/personas.py) has the
agencies Dinas Kesehatan (Dinkes) and Dinas Pariwisata (Dispar) and the partners
Universitas Lampung and PT Bank Lampung.
"""

import csv
import datetime
import io
import zipfile

from openpyxl import Workbook

HEADER = [
    "No.",
    "No. PKS",
    "Judul Kerja Sama",
    "Mitra Kerja Sama",
    "OPD Pelaksana",
    "Tgl TTD",
    "Tanggal",
    None,
    "Nilai (Rp)",
    "Keterangan",
]
SUBHEADER = [None, None, None, None, None, None, "Mulai", "Tgl Berakhir", None, None]


def xlsx(rows, *, title_block=True, merged=True, formula=None) -> bytes:
    """A register with a title block, a two-row merged header ("Tanggal" over Mulai /
    Berakhir), the data rows, a blank row and a subtotal row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Register 2023"
    if title_block:
        sheet.append(["DAFTAR NASKAH KERJA SAMA DAERAH"])
        sheet.append(["PEMERINTAH KABUPATEN PESAWARAN"])
        sheet.append(["Keadaan s.d. Desember 2023"])
        sheet.append([])
    header_row = 5 if title_block else 1
    sheet.append(HEADER)
    if merged:
        sheet.append(SUBHEADER)
        sheet.merge_cells(start_row=header_row, start_column=7, end_row=header_row, end_column=8)
        for column in (1, 2, 3, 4, 5, 6, 9, 10):
            sheet.merge_cells(start_row=header_row, start_column=column, end_row=header_row + 1, end_column=column)
    for row in rows:
        sheet.append(list(row))
    sheet.append([])
    sheet.append([None, "JUMLAH", None, None, None, None, None, None, formula or "=SUM(I7:I9)"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def messy_rows():
    return [
        (
            1,
            "100/1/PKS/2023",
            "Pelayanan kesehatan terpadu",
            "Universitas Lampung",
            "Dinas Kesehatan",
            datetime.datetime(2023, 1, 12),  # noqa: DTZ001 (an Excel cell has no time zone)
            "12 Januari 2023",
            "12-01-2026",
            "Rp 1.500.000.000,00",
            "",
        ),
        (
            2,
            "556/7/PKS/2023",
            "Promosi wisata bahari",
            "PT Bank Lampung (Persero)\nPT Wisata Nusantara",
            "Dinas Pariwisata",
            "3 Mar 2023",
            "2023",
            "31 Desember 2025",
            "250.000.000",
            "dua mitra",
        ),
        (3, "", "", "", "", None, None, None, None, "catatan saja"),
        (
            4,
            "556/8/KSB/2022",
            "Kesepakatan bersama pengembangan desa wisata",
            "1. Universitas Lampung 2. Yayasan Pesisir Lestari",
            "DINAS PARIWISATA",
            "2022",
            None,
            None,
            "-",
            "",
        ),
    ]


def csv_bytes(rows, *, delimiter=";", encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(
        ["Nomor Perjanjian", "Judul", "Mitra", "Perangkat Daerah", "Tanggal Penandatanganan", "Tgl Berakhir", "Nilai"]
    )
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode(encoding)


def zip_bomb() -> bytes:
    """A valid-looking .xlsx whose sheet unpacks to 300 MB of zeros (a few hundred kB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b"\0" * (1024 * 1024)
            for _ in range(300):
                sheet.write(block)
    return buffer.getvalue()


def with_macros() -> bytes:
    source = io.BytesIO(xlsx(messy_rows()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(buffer, "w") as archive:
        for item in original.infolist():
            archive.writestr(item, original.read(item.filename))
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    return buffer.getvalue()


def encrypted() -> bytes:
    """What Excel writes for a password-protected workbook: an OLE2 compound file."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000


def corrupt() -> bytes:
    return xlsx(messy_rows())[:3000]


def many_rows(count: int) -> bytes:
    """A streaming-written workbook with `count` data rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["Nomor", "Judul", "Mitra", "OPD Pelaksana"])
    for index in range(count):
        sheet.append([f"X/{index}", f"Kerja sama {index}", "Universitas Lampung", "Dinas Kesehatan"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
