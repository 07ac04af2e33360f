"""A register of agreements as a Bagian Kerja Sama keeps it in Excel, for the import benchmark.

    python bench/make_register.py --government 18.09 --rows 10000 --output bench/results/tmp/register.xlsx

Needs DATABASE_URL (bench/run.py passes its own): the rows name the government's real
agencies and partners, and the first rows repeat the agreements it already has. Deterministic
for the same database and --seed.

What the sheet looks like (see docs/import.md for what the importer understands):

- a title block, then a two-row header with merged cells (`Tanggal` over `Mulai | Berakhir`)
  and Indonesian column names; a units row `(1) (2) (3) ...` under it;
- the agreements already in the register first (the import finds them by number: unchanged,
  and about one in ten with a new value: an update);
- then new agreements: KSBs and MoUs followed by their PKSs (`Naskah Induk`; one family in
  ten lists the PKS above its KSB, as an export sorted by date does), addenda, loose PKSs;
  one or two partners per cell (one per line or numbered `1. ... 2. ...`), partner names
  spelled as officers write them (`PT.`, capitals), about one row in six with a partner not
  yet registered (regencies of the same province among them), partner numbers;
- dates as date cells and as text (`12 Januari 2023`, `12-01-2023`, `12 Jan 2023`,
  `Senin, 3 Agustus 2020`, a bare year), amounts as numbers and as Rupiah text
  (`Rp 1.500.000.000,00`, `250 juta`, `1,5 miliar`, `-`), agency names in several forms;
- section headings and blank rows now and then, and a `JUMLAH` row with a formula at the end.

Every new row is valid (signed in the past, ends after it starts, a PKS at most five years,
a PKS under a KSB with the KSB's partners, no foreign partner), so a dry run reports
`--rows` agreements and no problem.
"""

import argparse
import datetime
import os
import random
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agt", "Sep", "Okt", "Nop", "Des"]
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
TOPICS = [
    "Penyediaan Air Minum",
    "Pengelolaan Sampah Terpadu",
    "Pengembangan Desa Wisata",
    "Pelayanan Kesehatan Keliling",
    "Beasiswa Pendidikan Tinggi",
    "Penelitian dan Pengabdian kepada Masyarakat",
    "Penyaluran Kredit Usaha Rakyat",
    "Penerangan Jalan Umum",
    "Sistem Pemerintahan Berbasis Elektronik",
    "Pemberdayaan Nelayan",
    "Peningkatan Produksi Padi",
    "Pengembangan UMKM",
    "Pelatihan Tenaga Kerja",
    "Pengelolaan Kawasan Hutan",
    "Transportasi Antardaerah",
    "Penanganan Stunting",
    "Pengelolaan Pasar Rakyat",
    "Kuliah Kerja Nyata Tematik",
    "Pemanfaatan Barang Milik Daerah",
    "Pembayaran Pajak Daerah secara Nontunai",
    "Pengembangan Kawasan Agropolitan",
    "Penyediaan Jaringan Internet Desa",
]
PLACES = [
    "Gedong Tataan",
    "Negeri Katon",
    "Tegineneng",
    "Way Lima",
    "Padang Cermin",
    "Punduh Pidada",
    "Kedondong",
    "Marga Punduh",
    "Way Khilau",
    "Teluk Pandan",
    "Way Ratai",
    "Bernung",
    "Sukaraja",
    "Hanura",
    "Tanjung Agung",
]
NEW_PARTNER_STEMS = [
    "Universitas Muhammadiyah {p}",
    "Politeknik Swasta {p}",
    "Sekolah Tinggi Ilmu Kesehatan {p}",
    "PT Bank Perkreditan Rakyat {p}",
    "PT {p} Sejahtera Abadi",
    "PT Agro {p} Mandiri",
    "CV {p} Jaya Konstruksi",
    "Yayasan Pendidikan {p}",
    "Perkumpulan Petani {p}",
    "Koperasi Unit Desa {p}",
    "PDAM Tirta {p}",
    "Rumah Sakit Swasta {p}",
]
KIND_TEXT = {
    "pks": ["PKS", "Perjanjian Kerja Sama", "", "Perjanjian Kerjasama"],
    "ksb": ["KSB", "Kesepakatan Bersama", "Kesepakatan Bersama"],
    "mou": ["MoU", "Nota Kesepahaman"],
    "addendum": ["Adendum", "Addendum"],
}
KIND_CODE = {"pks": "PKS", "ksb": "KSB", "mou": "MOU", "addendum": "ADD"}
FINANCING = ["APBD", "Mitra", "Bersama", "", "APBD Kabupaten", "Pihak Kedua"]
NOTES = ["", "", "", "", "berlaku", "dalam proses perpanjangan", "naskah asli di Bag. KS", "lihat lampiran"]

HEADER = [
    "No.",
    "Nomor Naskah",
    "Judul Kerja Sama",
    "Jenis Naskah",
    "Mitra Kerja Sama",
    "Nomor Pihak Kedua",
    "OPD Pelaksana",
    "Naskah Induk",
    "Tgl TTD",
    "Tanggal",
    None,
    "Nilai (Rp)",
    "Sumber Dana",
    "Keterangan",
]
SUBHEADER = [None, None, None, None, None, None, None, None, None, "Mulai", "Berakhir", None, None, None]
VALUE_COLUMN = "L"


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class Writer:
    """Builds the rows, keeping the counters that make numbers and partner numbers unique."""

    def __init__(self, rng: random.Random, government, agencies, partners, new_partners):
        self.rng = rng
        self.government = government
        self.agencies = agencies
        self.partners = partners  # names of registered partners (no foreign ones)
        self.new_partners = new_partners  # names not registered yet
        self.sequence = 0
        self.party_sequence = 0
        self.unnumbered = 0
        self.rows: list[list] = []
        self.agreements = 0

    # cells --------------------------------------------------------------------------

    def date_cell(self, day: datetime.date | None, *, year_only: bool = False):
        if day is None:
            return None
        if year_only:
            return str(day.year)
        pick = self.rng.random()
        if pick < 0.45:
            return datetime.datetime(day.year, day.month, day.day)
        if pick < 0.65:
            return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
        if pick < 0.80:
            return day.strftime("%d-%m-%Y")
        if pick < 0.92:
            return f"{day.day} {SHORT_MONTHS[day.month - 1]} {day.year}"
        return f"{DAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"

    def value_cell(self):
        pick = self.rng.random()
        if pick < 0.35:
            return None
        if pick < 0.42:
            return "-"
        millions = self.rng.choice([25, 50, 75, 100, 150, 250, 500, 750, 1000, 1500, 2500, 5000])
        if pick < 0.60:
            return millions * 1_000_000
        if pick < 0.75:
            amount = f"{millions * 1_000_000:,}".replace(",", ".")
            return f"Rp {amount},00"
        if pick < 0.85:
            amount = f"{millions * 1_000_000:,}".replace(",", ".")
            return f"Rp. {amount},-"
        if millions >= 1000 and millions % 500 == 0:
            return f"{millions / 1000:g} miliar".replace(".", ",")
        return f"{millions} juta"

    def agency_cell(self, agency) -> str:
        name, short = agency
        pick = self.rng.random()
        if pick < 0.55 or not short:
            return name
        if pick < 0.75:
            return short
        if pick < 0.90:
            return f"{name} {self.government.name}"
        return name.upper()

    def partner_spelling(self, name: str) -> str:
        pick = self.rng.random()
        if name.startswith("PT ") and pick < 0.3:
            return "PT. " + name[3:]
        if pick < 0.08:
            return name.upper()
        return name

    def partners_cell(self, names: list[str]) -> str:
        spelled = [self.partner_spelling(name) for name in names]
        if len(spelled) > 1 and self.rng.random() < 0.3:
            return " ".join(f"{index}. {name}" for index, name in enumerate(spelled, start=1))
        return "\n".join(spelled)

    # rows ---------------------------------------------------------------------------

    def next_number(self, kind: str, year: int) -> str:
        self.sequence += 1
        prefix = {"pks": "180", "ksb": "119", "mou": "119", "addendum": "180"}[kind]
        return f"{prefix}/{self.sequence}/{KIND_CODE[kind]}/{year}"

    def pick_partners(self, count: int) -> list[str]:
        names = []
        while len(names) < count:
            pool = self.new_partners if self.rng.random() < 0.17 else self.partners
            name = self.rng.choice(pool)
            if name not in names:
                names.append(name)
        return names

    def agreement_row(self, kind: str, partners: list[str], *, parent: dict | None = None, numbered=False) -> dict:
        rng = self.rng
        if parent:
            signed = parent["signed"] + datetime.timedelta(days=rng.randint(10, 400))
            signed = min(signed, datetime.date(2024, 12, 31))
        else:
            signed = datetime.date(2016, 1, 1) + datetime.timedelta(days=rng.randint(0, 3287))  # up to 2024
        years = rng.randint(1, 5) if kind in ("pks", "addendum") else rng.choice([3, 5, 5, 10])
        effective = signed + datetime.timedelta(days=rng.choice([0, 0, 7, 14, 30])) if rng.random() < 0.4 else None
        start = effective or signed
        ends = add_years(start, years) - datetime.timedelta(days=1)
        # A bare year reads as 1 January (start) or 31 December (end): only where that keeps
        # a PKS within five years.
        year_only_signed = effective is None and years <= 4 and rng.random() < 0.04
        year_only_end = years <= 3 and rng.random() < 0.04
        # About one row in thirty has no number; a KSB (named by its PKSs) and a row naming
        # its parent always have one (the importer orders rows parents first by number).
        number = self.next_number(kind, signed.year) if numbered or parent or rng.random() > 0.03 else ""
        topic = rng.choice(TOPICS)
        place = rng.choice(PLACES)
        title = {
            "ksb": f"Kesepakatan Bersama tentang {topic}",
            "mou": f"Nota Kesepahaman {topic}",
            "addendum": f"Adendum Perjanjian {topic} di {place}",
            "pks": f"{topic} di Kecamatan {place}",
        }[kind]
        if not number:  # rows without a number are matched by title: keep those titles apart
            self.unnumbered += 1
            title += f" (register lokal {self.unnumbered})"
        party_numbers = []
        if rng.random() < 0.6:
            for name in partners:
                self.party_sequence += 1
                party_numbers.append(f"{self.party_sequence}/{name.split()[-1][:6].upper()}/{signed.year}")
        row = [
            None,  # running number, set when written
            number,
            title,
            rng.choice(KIND_TEXT[kind]) if kind != "pks" or number else "Perjanjian Kerja Sama",
            self.partners_cell(partners),
            "\n".join(party_numbers),
            self.agency_cell(rng.choice(self.agencies)),
            parent["number"] if parent else "",
            self.date_cell(signed, year_only=year_only_signed),
            self.date_cell(effective),
            self.date_cell(ends, year_only=year_only_end),
            self.value_cell(),
            rng.choice(FINANCING),
            rng.choice(NOTES),
        ]
        return {"row": row, "number": number, "signed": signed, "partners": partners, "kind": kind}

    def write(self, entry_or_row) -> None:
        row = entry_or_row["row"] if isinstance(entry_or_row, dict) else entry_or_row
        self.agreements += 1
        row[0] = self.agreements
        self.rows.append(row)

    def decoration(self) -> None:
        """Now and then a blank row or a section heading (skipped by the import)."""
        pick = self.rng.random()
        if pick < 0.004:
            self.rows.append([None] * len(HEADER))
        elif pick < 0.006:
            self.rows.append([self.rng.choice(["A. PIHAK KETIGA", "B. PEMERINTAH DAERAH LAIN", "C. LAIN-LAIN"])])

    def family(self, remaining: int) -> None:
        """A KSB or MoU with its PKSs (and sometimes an addendum), or one loose PKS."""
        rng = self.rng
        if remaining >= 3 and rng.random() < 0.18:
            umbrella = self.agreement_row(
                rng.choice(["ksb", "ksb", "mou"]), self.pick_partners(1 if rng.random() < 0.8 else 2), numbered=True
            )
            children = []
            for _child in range(rng.randint(1, min(3, remaining - 1))):
                children.append(self.agreement_row("pks", umbrella["partners"], parent=umbrella))
            entries = [umbrella, *children]
            if rng.random() < 0.1:
                entries.reverse()  # the PKS above its KSB
            if remaining - len(entries) >= 1 and rng.random() < 0.15:
                entries.append(self.agreement_row("addendum", children[0]["partners"], parent=children[0]))
            for entry in entries:
                self.write(entry)
                self.decoration()
            return
        self.write(self.agreement_row("pks", self.pick_partners(1 if rng.random() < 0.8 else 2)))
        self.decoration()


def existing_rows(writer: Writer, government) -> None:
    """The agreements the register already holds, as the sheet lists them: found by number."""
    from jalin.agreements.models import Agreement, Category

    foreign = {Category.KSDPL, Category.KSDLL}
    agreements = (
        Agreement.objects.filter(government=government, archived_at__isnull=True)
        .exclude(number="")
        .select_related("lead_agency")
        .prefetch_related("parties__partner", "supporting_agencies")
        .order_by("pk")
    )
    for index, agreement in enumerate(agreements):
        parties = sorted(agreement.parties.all(), key=lambda party: (party.position, party.pk))
        # An update goes through agreement_update and every rule of the register: only for
        # agreements that satisfy them (the scale data does not always).
        supporting = {agency.pk for agency in agreement.supporting_agencies.all()}
        can_update = agreement.category not in foreign and agreement.lead_agency_id not in supporting
        value = agreement.value
        if index % 10 == 0 and can_update:
            value = (value or Decimal(0)) + Decimal(1_000_000)
        writer.write(
            [
                None,
                agreement.number,
                agreement.title,
                "",
                "\n".join(party.partner.name for party in parties),
                "",
                agreement.lead_agency.name,
                "",
                writer.date_cell(agreement.signed_on),
                writer.date_cell(agreement.effective_on),
                writer.date_cell(agreement.ends_on),
                int(value) if value is not None and value == int(value) else value,
                "",
                "",
            ]
        )


def build(code: str, rows: int, seed: int) -> tuple[list[list], object]:
    from jalin.governments.models import Agency, Government
    from jalin.partners.models import Partner, PartnerType

    government = Government.objects.get(code=code)
    rng = random.Random(f"{seed}:{code}:{rows}")  # deterministic test data, not security
    agencies = list(
        Agency.objects.filter(government=government, archived_at__isnull=True)
        .order_by("pk")
        .values_list("name", "short_name")
    )
    foreign = [PartnerType.FOREIGN_GOVERNMENT, PartnerType.FOREIGN_INSTITUTION]
    partners = list(
        Partner.objects.filter(government=government, archived_at__isnull=True)
        .exclude(partner_type__in=foreign)
        .exclude(partner_type=PartnerType.GOVERNMENT)
        .order_by("pk")
        .values_list("name", flat=True)
    )
    if not agencies or not partners:
        raise SystemExit(f"{code} has no agencies or partners: build the scale data first.")
    known = {name.lower() for name in partners}
    neighbours = [
        f"Pemerintah {name}"
        for name in Government.objects.filter(parent_id=government.parent_id)
        .exclude(pk=government.pk)
        .order_by("code")
        .values_list("name", flat=True)
    ]
    fresh = [stem.format(p=place) for stem in NEW_PARTNER_STEMS for place in PLACES] + neighbours
    new_partners = [name for name in fresh if name.lower() not in known]
    writer = Writer(rng, government, agencies, partners, new_partners)
    existing_rows(writer, government)
    while writer.agreements < rows:
        writer.family(rows - writer.agreements)
    return writer.rows, government


def write_xlsx(rows: list[list], government, path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = "Register"
    sheet.append(["DAFTAR NASKAH KERJA SAMA DAERAH"])
    sheet.append([f"PEMERINTAH {government.name.upper()}"])
    sheet.append(["Keadaan s.d. Desember 2024"])
    sheet.append([])
    header_row = 5
    sheet.append(HEADER)
    sheet.append(SUBHEADER)
    sheet.merge_cells(start_row=header_row, start_column=10, end_row=header_row, end_column=11)
    for column in (1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14):
        sheet.merge_cells(start_row=header_row, start_column=column, end_row=header_row + 1, end_column=column)
    sheet.append([f"({index})" for index in range(1, len(HEADER) + 1)])
    first = header_row + 3
    for row in rows:
        sheet.append(row)
    last = first + len(rows) - 1
    sheet.append([])
    sheet.append([None, "JUMLAH", *[None] * 9, f"=SUM({VALUE_COLUMN}{first}:{VALUE_COLUMN}{last})"])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--government", default="18.09")
    parser.add_argument("--rows", type=int, default=10_000, help="agreement rows (blank rows and headings extra)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalin.settings")
    import django

    django.setup()
    rows, government = build(args.government, args.rows, args.seed)
    write_xlsx(rows, government, Path(args.output))
    agreements = sum(1 for row in rows if row and row[0] is not None and len(row) > 1)
    print(f"{args.output}: {agreements} agreements of {government.code} {government.name}, {len(rows)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
