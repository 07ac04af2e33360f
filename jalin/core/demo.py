"""The demo data set: Kabupaten Pesawaran (18.09) as it might run Jalin.

Pesawaran gets its agencies, a partner register of every partner type, agreements of every
category and document kind (with KSB → PKS → addendum chains, NK + RK pairs, MoU → PKS,
renewals, drafts, expiring, expired, terminated and archived ones) and one user per role.
Kabupaten Lampung Selatan (18.01) gets a small register of its own, so that the separation
between governments can be seen.

Agencies, partners and agreements are written through the services, acting as the
government's admin, so the demo is validated and audited like real data. Users are created
directly. Building twice creates nothing new: every row is matched by its natural key first.

Dates are relative to the day the demo is built, so the demo always has agreements in every
status. Our agreement numbers end with the signing year ("180/12/KSB/IV.02/2023"); a demo
agreement is recognised by its number without that year, which stays the same on any day.
"""

import datetime
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalin.accounts.models import Role, User
from jalin.agreements import services as agreement_services
from jalin.agreements.models import Agreement, Category, Financing, Kind, TerminationGround
from jalin.audit.context import acting_as
from jalin.governments import services as government_services
from jalin.governments.models import Affair, Agency, Government
from jalin.partners import services as partner_services
from jalin.partners.models import Partner, PartnerType

DEMO_PASSWORD = "jalin-demo-2026"
DEFAULT_SEED = 2026
SUPERUSER = "superadmin"

# How each document kind appears inside a document number.
KIND_CODES = {
    Kind.KSB: "KSB",
    Kind.PKS: "PKS",
    Kind.NK: "NK",
    Kind.RK: "RK",
    Kind.LOI: "LoI",
    Kind.MOU: "MoU",
    Kind.ADDENDUM: "ADD",
}

_EMAIL_DOMAINS = {
    PartnerType.GOVERNMENT: "example.go.id",
    PartnerType.MINISTRY: "example.go.id",
    PartnerType.UNIVERSITY: "example.ac.id",
    PartnerType.NGO: "example.or.id",
    PartnerType.INDIVIDUAL: "example.id",
    PartnerType.FOREIGN_GOVERNMENT: "example.org",
    PartnerType.FOREIGN_INSTITUTION: "example.org",
}


class DemoError(Exception):
    """The demo cannot be built: reference data is missing or a demo row was rejected."""


# Specifications ------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencySpec:
    short_name: str
    name: str
    head_name: str
    head_title: str = ""  # "Kepala <name>" when empty


@dataclass(frozen=True)
class PartnerSpec:
    key: str
    name: str
    partner_type: str
    signatory_name: str
    signatory_title: str
    # The partner's own document numbers: {seq}, {kind} and {year} are filled in.
    number_format: str = ""
    region: str = ""  # Government code, for a regional government
    tax_number: str = ""
    country: str = "Indonesia"
    address: str = ""
    website: str = ""


@dataclass(frozen=True)
class AgreementSpec:
    seq: int  # our running number, unique within the government
    key: str
    category: str
    kind: str
    title: str
    partners: tuple[str, ...]
    lead: str  # agency short name
    supporting: tuple[str, ...] = ()
    affairs: tuple[str, ...] = ()
    object: str = ""
    scope: str = ""
    benefits: str = ""
    signed: int | None = None  # days from today (negative: in the past); None for a draft
    ends: int | None = None  # days from today
    financing: str = Financing.NONE
    value: int | None = None  # Rupiah
    parent: str = ""  # key of the KSB / NK / MoU, or of the agreement an addendum amends
    predecessor: str = ""  # key of the agreement this one renews
    by_sekda: bool = False  # signed by the Sekretaris Daerah with a power of attorney
    public: bool = False
    dprd_ref: str = ""  # {year} is filled in
    central_ref: str = ""  # {year} is filled in
    longer_term_basis: str = ""
    terminated: tuple[int, str, str] | None = None  # (days from today, ground, note)
    archive_reason: str = ""


@dataclass(frozen=True)
class UserSpec:
    username: str
    first_name: str
    last_name: str
    role: str
    title: str
    try_this: str
    agency: str = ""  # agency short name
    government: str = ""  # code; the demo's government when empty

    @property
    def email(self) -> str:
        return f"{self.first_name}.{self.last_name}".lower().replace(" ", "") + "@example.go.id"


@dataclass(frozen=True)
class GovernmentDemo:
    code: str
    slug: str
    number_format: str  # our numbers without the year: {seq} and {kind} are filled in
    head_name: str
    head_title: str
    sekda_name: str
    sekda_title: str
    power_of_attorney: str  # {n} and {year} are filled in
    users: tuple[UserSpec, ...]  # the first is the admin who registers everything
    agencies: tuple[AgencySpec, ...]
    partners: tuple[PartnerSpec, ...]
    agreements: tuple[AgreementSpec, ...]


# Kabupaten Pesawaran ---------------------------------------------------------------------

PESAWARAN_USERS = (
    UserSpec(
        "admin",
        "Rina",
        "Marlina",
        Role.ADMIN,
        "Analis Kerja Sama, Bagian Kerja Sama Setda",
        gettext_lazy(
            "Run the whole register of Pesawaran: agencies, partners, agreements; archive one; read the audit trail."
        ),
        agency="Bag. KS",
    ),
    UserSpec(
        "opd.dinkes",
        "Yusuf",
        "Hidayat",
        Role.OPD_OFFICER,
        "Pengelola Kerja Sama, Dinas Kesehatan",
        gettext_lazy("Sees only Dinkes agreements plus published ones; register a PKS that Dinkes leads."),
        agency="Dinkes",
    ),
    UserSpec(
        "opd.pariwisata",
        "Dewi",
        "Anggraini",
        Role.OPD_OFFICER,
        "Analis Pariwisata, Dinas Pariwisata",
        gettext_lazy(
            "Compare with opd.dinkes: Dispar's agreements (Pahawang, Banyuwangi) show here, Dinkes's unpublished "
            "ones (Pringsewu) do not."
        ),
        agency="Dispar",
    ),
    UserSpec(
        "tkksd",
        "Bambang",
        "Sutrisno",
        Role.TKKSD_REVIEWER,
        "Anggota Tim Koordinasi Kerja Sama Daerah",
        gettext_lazy("Reads every Pesawaran agreement; review the drafts (e.g. the KSB with Pelindo); cannot edit."),
        agency="Bag. Hukum",
    ),
    UserSpec(
        "pimpinan",
        "Kesuma",
        "Wijaya",
        Role.LEADER,
        "Sekretaris Daerah Kabupaten Pesawaran",
        gettext_lazy("Reads everything: agreements expiring within 30 days, expired ones awaiting renewal."),
    ),
    UserSpec(
        "inspektorat",
        "Sri",
        "Wahyuni",
        Role.AUDITOR,
        "Auditor Ahli Madya, Inspektorat Daerah",
        gettext_lazy("Reads everything including the audit trail: who registered and changed each agreement."),
        agency="Inspektorat",
    ),
    UserSpec(
        "provinsi",
        "Hendra",
        "Gunawan",
        Role.SUPERVISOR,
        "Kepala Biro Pemerintahan dan Otonomi Daerah, Setda Provinsi Lampung",
        gettext_lazy("Supervisor: reads Pesawaran and Lampung Selatan (regencies of the province), changes nothing."),
        government="18",
    ),
)

PESAWARAN_AGENCIES = (
    AgencySpec("Bag. KS", "Bagian Kerja Sama Sekretariat Daerah", "Rudi Hartono, S.STP., M.Si."),
    AgencySpec("Bag. Hukum", "Bagian Hukum Sekretariat Daerah", "Nurhasanah, S.H., M.H."),
    AgencySpec("Bappeda", "Badan Perencanaan Pembangunan Daerah", "Ir. Hendra Saputra, M.T."),
    AgencySpec("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", "Drs. Zainal Abidin, M.M."),
    AgencySpec(
        "BPBD", "Badan Penanggulangan Bencana Daerah", "Agus Salim, S.Sos.", "Kepala Pelaksana BPBD Kabupaten Pesawaran"
    ),
    AgencySpec("Inspektorat", "Inspektorat Daerah", "Dra. Lilis Suryani, M.Ak.", "Inspektur Kabupaten Pesawaran"),
    AgencySpec("Disdikbud", "Dinas Pendidikan dan Kebudayaan", "Dr. Suparman, M.Pd."),
    AgencySpec("Dinkes", "Dinas Kesehatan", "dr. Ratna Dewi Sari, M.Kes."),
    AgencySpec("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "Ir. Bambang Irawan, M.T."),
    AgencySpec("Dispar", "Dinas Pariwisata", "Yulia Kusumawati, S.E., M.M."),
    AgencySpec("DKP", "Dinas Kelautan dan Perikanan", "Ir. Samsul Rizal, M.Si."),
    AgencySpec("Distan", "Dinas Pertanian", "Ir. Hadi Purnomo, M.P."),
    AgencySpec("Diskominfo", "Dinas Komunikasi dan Informatika", "Andi Wijaya, S.Kom., M.T.I."),
    AgencySpec("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "Fauzi Ramadhan, S.H., M.H."),
    AgencySpec("DLH", "Dinas Lingkungan Hidup", "Ir. Eko Prasetyo, M.Sc."),
    AgencySpec("Dinsos", "Dinas Sosial", "Dra. Siti Aminah, M.Si."),
    AgencySpec("Dishub", "Dinas Perhubungan", "Joko Susilo, S.T., M.T."),
    AgencySpec("Diskop UKM", "Dinas Koperasi, Usaha Kecil dan Menengah", "Marlina Hasibuan, S.E., M.Si."),
    AgencySpec("Disperindag", "Dinas Perindustrian dan Perdagangan", "Ahmad Fauzan, S.E., M.M."),
    AgencySpec("Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Rahmat Hidayat, S.Sos., M.H."),
    AgencySpec("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa", "Sugeng Riyadi, S.IP., M.Si."),
)

PESAWARAN_PARTNERS = (
    # Other regional governments
    PartnerSpec(
        "bandar_lampung",
        "Pemerintah Kota Bandar Lampung",
        PartnerType.GOVERNMENT,
        "Hj. Nurul Hidayah, S.E., M.M.",
        "Wali Kota Bandar Lampung",
        "415.4/{seq}/{kind}/III.01/{year}",
        region="18.71",
        address="Jl. Dr. Susilo No. 2, Sumur Batu, Bandar Lampung",
    ),
    PartnerSpec(
        "lampung_selatan",
        "Pemerintah Kabupaten Lampung Selatan",
        PartnerType.GOVERNMENT,
        "H. Arif Munandar, S.H.",
        "Bupati Lampung Selatan",
        "119/{seq}/{kind}/II.04/{year}",
        region="18.01",
        address="Jl. Mustafa Kemal No. 1, Kalianda, Lampung Selatan",
    ),
    PartnerSpec(
        "tanggamus",
        "Pemerintah Kabupaten Tanggamus",
        PartnerType.GOVERNMENT,
        "Dr. H. Saiful Anwar, M.Si.",
        "Bupati Tanggamus",
        "075/{seq}/{kind}/39/{year}",
        region="18.06",
        address="Jl. Ir. H. Juanda No. 1, Kota Agung, Tanggamus",
    ),
    PartnerSpec(
        "pringsewu",
        "Pemerintah Kabupaten Pringsewu",
        PartnerType.GOVERNMENT,
        "H. Ridwan Syahputra, S.T.",
        "Bupati Pringsewu",
        "130/{seq}/{kind}/D.01/{year}",
        region="18.10",
        address="Jl. Ki Hajar Dewantara No. 1, Pringsewu",
    ),
    PartnerSpec(
        "provinsi_lampung",
        "Pemerintah Provinsi Lampung",
        PartnerType.GOVERNMENT,
        "Ir. H. Teguh Santoso, M.M.",
        "Gubernur Lampung",
        "G/{seq}/V.01/HK/{year}",
        region="18",
        address="Jl. Wolter Monginsidi No. 69, Teluk Betung, Bandar Lampung",
    ),
    PartnerSpec(
        "metro",
        "Pemerintah Kota Metro",
        PartnerType.GOVERNMENT,
        "dr. Hanif Maulana, M.Kes.",
        "Wali Kota Metro",
        "119/{seq}/{kind}/D-3/{year}",
        region="18.72",
        address="Jl. A.H. Nasution No. 5, Metro",
    ),
    PartnerSpec(
        "banyuwangi",
        "Pemerintah Kabupaten Banyuwangi",
        PartnerType.GOVERNMENT,
        "Ir. Rini Setyowati, M.Si.",
        "Bupati Banyuwangi",
        "180/{seq}/{kind}/429.011/{year}",
        region="35.10",
        address="Jl. A. Yani No. 100, Banyuwangi, Jawa Timur",
    ),
    PartnerSpec(
        "pesisir_barat",
        "Pemerintah Kabupaten Pesisir Barat",
        PartnerType.GOVERNMENT,
        "H. Yusran Efendi, S.Pd.",
        "Bupati Pesisir Barat",
        "130/{seq}/{kind}/III.01/{year}",
        region="18.13",
        address="Jl. Merdeka No. 1, Krui, Pesisir Barat",
    ),
    # Ministries and central agencies (K/L)
    PartnerSpec(
        "kkp",
        "Kementerian Kelautan dan Perikanan",
        PartnerType.MINISTRY,
        "Dr. Ir. Budi Santosa, M.Sc.",
        "Direktur Jenderal Perikanan Tangkap",
        "B.{seq}/DJPT/KS.210/{year}",
        address="Jl. Medan Merdeka Timur No. 16, Jakarta Pusat",
        website="https://kkp.go.id",
    ),
    PartnerSpec(
        "kemenpar",
        "Kementerian Pariwisata",
        PartnerType.MINISTRY,
        "Dra. Widyastuti Rahayu, M.M.",
        "Deputi Bidang Pengembangan Destinasi dan Infrastruktur Pariwisata",
        "NK/{seq}/DSP/KP/{year}",
        address="Jl. Medan Merdeka Barat No. 17, Jakarta Pusat",
    ),
    PartnerSpec(
        "kejari",
        "Kejaksaan Negeri Pesawaran",
        PartnerType.MINISTRY,
        "Fadli Rahman, S.H., M.H.",
        "Kepala Kejaksaan Negeri Pesawaran",
        "B-{seq}/L.8.19/Gs/{year}",
        address="Jl. Raya Kedondong, Gedong Tataan, Pesawaran",
    ),
    PartnerSpec(
        "brin",
        "Badan Riset dan Inovasi Nasional",
        PartnerType.MINISTRY,
        "Prof. Dr. Agung Prakoso",
        "Deputi Bidang Riset dan Inovasi Daerah",
        "B-{seq}/II/KS.00/{year}",
        address="Gedung B.J. Habibie, Jl. M.H. Thamrin No. 8, Jakarta Pusat",
        website="https://brin.go.id",
    ),
    PartnerSpec(
        "kemendes",
        "Kementerian Desa dan Pembangunan Daerah Tertinggal",
        PartnerType.MINISTRY,
        "Dr. Suryo Handoko, M.Si.",
        "Direktur Jenderal Pembangunan Desa dan Perdesaan",
        "NK.{seq}/KDPDT/{year}",
        address="Jl. TMP Kalibata No. 17, Jakarta Selatan",
    ),
    # State-owned enterprises (BUMN)
    PartnerSpec(
        "pln",
        "PT PLN (Persero) Unit Induk Distribusi Lampung",
        PartnerType.BUMN,
        "Dimas Prayoga",
        "General Manager PT PLN (Persero) UID Lampung",
        "{seq:04d}.Pj/HKM.00.01/UID-LPG/{year}",
        tax_number="02.713.584.6-322.000",
        address="Jl. Z.A. Pagar Alam No. 5, Rajabasa, Bandar Lampung",
        website="https://web.pln.co.id",
    ),
    PartnerSpec(
        "pertamina",
        "PT Pertamina Patra Niaga Regional Sumbagsel",
        PartnerType.BUMN,
        "Rizky Aditya",
        "Executive General Manager Regional Sumbagsel",
        "{seq:03d}/PNE3000/{year}-S0",
        tax_number="03.145.902.7-054.000",
        address="Jl. Kapten A. Rivai No. 1, Palembang",
    ),
    PartnerSpec(
        "pelindo",
        "PT Pelabuhan Indonesia (Persero) Regional 2 Panjang",
        PartnerType.BUMN,
        "Capt. Bambang Hermawan",
        "General Manager Regional 2 Panjang",
        "HK.{seq}/2/R2.PJG/{year}",
        tax_number="04.382.117.5-325.000",
        address="Jl. Yos Sudarso No. 337, Panjang, Bandar Lampung",
    ),
    PartnerSpec(
        "telkom",
        "PT Telkom Indonesia (Persero) Tbk Witel Lampung",
        PartnerType.BUMN,
        "Andriansyah Putra",
        "Witel Manager Lampung",
        "K.TEL.{seq:03d}/HK.810/WTL-LPG/{year}",
        tax_number="05.920.446.1-093.000",
        address="Jl. Kartini No. 1, Tanjung Karang, Bandar Lampung",
    ),
    PartnerSpec(
        "pos",
        "PT Pos Indonesia (Persero) Kantor Cabang Utama Bandar Lampung",
        PartnerType.BUMN,
        "Sulistyo Nugroho",
        "Kepala Kantor Cabang Utama Bandar Lampung",
        "{seq}/KS/REG-2/{year}",
        tax_number="06.277.381.9-051.000",
        address="Jl. Kotaraja No. 21, Tanjung Karang, Bandar Lampung",
    ),
    # Banks
    PartnerSpec(
        "bri",
        "PT Bank Rakyat Indonesia (Persero) Tbk",
        PartnerType.BANK,
        "Hadi Kurniawan",
        "Regional CEO BRI Bandar Lampung",
        "B.{seq}/KW-BDL/DJS/{year}",
        tax_number="0017235840931000",
        address="Jl. Raden Intan No. 1, Tanjung Karang, Bandar Lampung",
        website="https://bri.co.id",
    ),
    PartnerSpec(
        "bni",
        "PT Bank Negara Indonesia (Persero) Tbk",
        PartnerType.BANK,
        "Yohanes Setiadi",
        "Pemimpin Cabang Tanjung Karang",
        "TJK/{seq}/{kind}/{year}",
        tax_number="0018469201325000",
        address="Jl. Kartini No. 51, Tanjung Karang, Bandar Lampung",
    ),
    PartnerSpec(
        "bank_lampung",
        "PT Bank Lampung",
        PartnerType.BANK,
        "Drs. Mulyadi Harahap, M.M.",
        "Direktur Utama PT Bank Lampung",
        "{seq}/DIR/BL/{kind}/{year}",
        tax_number="07.461.538.2-321.000",
        address="Jl. Wolter Monginsidi No. 182, Teluk Betung, Bandar Lampung",
    ),
    PartnerSpec(
        "bsi",
        "PT Bank Syariah Indonesia Tbk",
        PartnerType.BANK,
        "Faisal Akbar",
        "Branch Manager Bandar Lampung",
        "{seq:02d}/{kind}/BSI-BDL/{year}",
        tax_number="0091758263054000",
        address="Jl. Diponegoro No. 38, Bandar Lampung",
    ),
    # Regional-owned enterprises (BUMD)
    PartnerSpec(
        "tirta_pesawaran",
        "Perumda Air Minum Tirta Pesawaran",
        PartnerType.BUMD,
        "Ir. Wahyu Nugraha",
        "Direktur Perumda Air Minum Tirta Pesawaran",
        "{seq}/PKS/PAM-TP/{year}",
        tax_number="08.593.240.7-325.000",
        address="Jl. Raya Kurungan Nyawa, Gedong Tataan, Pesawaran",
    ),
    PartnerSpec(
        "pmb",
        "PT Pesawaran Maju Bersama (Perseroda)",
        PartnerType.BUMD,
        "Deni Kurniawan, S.E.",
        "Direktur Utama",
        "{seq}/PMB/DIR/{year}",
        tax_number="09.214.775.3-325.000",
        address="Kompleks Pasar Induk Gedong Tataan, Pesawaran",
    ),
    # Universities
    PartnerSpec(
        "unila",
        "Universitas Lampung",
        PartnerType.UNIVERSITY,
        "Prof. Dr. Ir. Hendrawan Saputra, M.Sc.",
        "Rektor Universitas Lampung",
        "{seq}/UN26/KS/{year}",
        address="Jl. Prof. Dr. Ir. Sumantri Brojonegoro No. 1, Gedong Meneng, Bandar Lampung",
        website="https://www.unila.ac.id",
    ),
    PartnerSpec(
        "itera",
        "Institut Teknologi Sumatera",
        PartnerType.UNIVERSITY,
        "Prof. Dr. Ir. Lukman Hakim, M.T.",
        "Rektor Institut Teknologi Sumatera",
        "{seq}/IT9/KS/{year}",
        address="Jl. Terusan Ryacudu, Way Huwi, Jati Agung, Lampung Selatan",
        website="https://www.itera.ac.id",
    ),
    PartnerSpec(
        "uin",
        "Universitas Islam Negeri Raden Intan Lampung",
        PartnerType.UNIVERSITY,
        "Prof. Dr. H. Mukri Abdullah, M.Ag.",
        "Rektor UIN Raden Intan Lampung",
        "B-{seq}/Un.16/R/HM.01/{year}",
        address="Jl. Letkol H. Endro Suratmin, Sukarame, Bandar Lampung",
        website="https://www.radenintan.ac.id",
    ),
    PartnerSpec(
        "polinela",
        "Politeknik Negeri Lampung",
        PartnerType.UNIVERSITY,
        "Dr. Ir. Sarjono, M.P.",
        "Direktur Politeknik Negeri Lampung",
        "{seq}/PL15/KS/{year}",
        address="Jl. Soekarno-Hatta No. 10, Rajabasa, Bandar Lampung",
        website="https://www.polinela.ac.id",
    ),
    PartnerSpec(
        "teknokrat",
        "Universitas Teknokrat Indonesia",
        PartnerType.UNIVERSITY,
        "Dr. H. Nasrul Yusuf, M.Kom.",
        "Rektor Universitas Teknokrat Indonesia",
        "{seq}/UTI/KS/{year}",
        address="Jl. Z.A. Pagar Alam No. 9-11, Labuhan Ratu, Bandar Lampung",
    ),
    # Private companies
    PartnerSpec(
        "bahari_resort",
        "PT Pesawaran Bahari Resort",
        PartnerType.PRIVATE,
        "Herman Tanoto",
        "Direktur Utama",
        "{seq}/PBR-DIR/{year}",
        tax_number="61.407.932.5-325.000",
        address="Jl. Raya Ketapang, Teluk Pandan, Pesawaran",
    ),
    PartnerSpec(
        "sinar_laut",
        "PT Sinar Laut Lampung",
        PartnerType.PRIVATE,
        "Ferry Gunawan",
        "Direktur",
        "{seq}/SLL/LGL/{year}",
        tax_number="62.881.043.7-325.000",
        address="Jl. Raya Ketapang Km 3, Padang Cermin, Pesawaran",
    ),
    PartnerSpec(
        "agro_kakao",
        "PT Agro Kakao Nusantara",
        PartnerType.PRIVATE,
        "Lina Marpaung",
        "Direktur Utama",
        "{seq}/AKN-LGL/{year}",
        tax_number="63.520.174.8-321.000",
        address="Jl. Soekarno-Hatta Km 12, Bandar Lampung",
    ),
    PartnerSpec(
        "energi_surya",
        "PT Energi Surya Lampung",
        PartnerType.PRIVATE,
        "Arya Wicaksono",
        "Direktur",
        "{seq}/ESL/PKS/{year}",
        tax_number="0641983270321000",
        address="Jl. Teuku Umar No. 88, Kedaton, Bandar Lampung",
    ),
    PartnerSpec(
        "daur_ulang",
        "PT Daur Ulang Sumatera Lestari",
        PartnerType.PRIVATE,
        "Taufan Hidayat",
        "Direktur Utama",
        "{seq}/DUSL/LOI/{year}",
        tax_number="65.097.316.2-322.000",
        address="Kawasan Industri Tanjung Bintang, Lampung Selatan",
    ),
    # NGOs and community organisations
    PartnerSpec(
        "pesisir_lestari",
        "Yayasan Pesisir Lestari Lampung",
        PartnerType.NGO,
        "Mardiana Siregar",
        "Ketua Pengurus",
        "{seq}/YPLL/KS/{year}",
        tax_number="71.336.908.4-325.000",
        address="Jl. Raya Hanura, Teluk Pandan, Pesawaran",
    ),
    PartnerSpec(
        "pmi",
        "Palang Merah Indonesia Kabupaten Pesawaran",
        PartnerType.NGO,
        "H. Sutrisno",
        "Ketua PMI Kabupaten Pesawaran",
        "{seq}/PMI-PSW/{year}",
        tax_number="72.548.113.9-325.000",
        address="Jl. Ahmad Yani, Gedong Tataan, Pesawaran",
    ),
    # An individual
    PartnerSpec(
        "taufik",
        "Ir. Muhammad Taufik Hidayat",
        PartnerType.INDIVIDUAL,
        "Ir. Muhammad Taufik Hidayat",
        "Pemilik lahan",
        tax_number="1809041203750002",
        address="Desa Sidodadi, Teluk Pandan, Pesawaran",
    ),
    # Foreign local governments
    PartnerSpec(
        "kaigan",
        "Pemerintah Kota Kaigan, Prefektur Ehime",
        PartnerType.FOREIGN_GOVERNMENT,
        "Hiroshi Tanaka",
        "Wali Kota Kaigan (Mayor of Kaigan City)",
        "KG-{year}-{seq:03d}",
        country="Jepang",
        address="1-1 Minato-machi, Kaigan, Ehime, Japan",
    ),
    PartnerSpec(
        "seonam",
        "Pemerintah Kabupaten Seonam, Provinsi Jeolla Selatan",
        PartnerType.FOREIGN_GOVERNMENT,
        "Kim Jae-won",
        "Kepala Kabupaten Seonam (County Governor)",
        "SN-{year}-{seq}",
        country="Korea Selatan",
        address="25 Gunchung-ro, Seonam-gun, Jeollanam-do, Republic of Korea",
    ),
    # Foreign institutions
    PartnerSpec(
        "jrdca",
        "Japan Regional Development Cooperation Agency (JRDCA)",
        PartnerType.FOREIGN_INSTITUTION,
        "Kenji Watanabe",
        "Chief Representative, JRDCA Indonesia Office",
        "JRDCA/IDN/{year}/{seq:03d}",
        country="Jepang",
        address="Menara Thamrin Lt. 12, Jl. M.H. Thamrin Kav. 3, Jakarta Pusat",
    ),
    PartnerSpec(
        "crf",
        "Coastal Resilience Foundation",
        PartnerType.FOREIGN_INSTITUTION,
        "Dr. Sarah Mitchell",
        "Executive Director",
        "CRF-IDN-{year}-{seq:02d}",
        country="Australia",
        address="Level 4, 120 Flinders Street, Melbourne VIC 3000, Australia",
    ),
    PartnerSpec(
        "ddwp",
        "Dutch Delta Water Partnership",
        PartnerType.FOREIGN_INSTITUTION,
        "Pieter van Dijk",
        "Programme Director",
        "DDWP/{year}/{seq:03d}",
        country="Belanda",
        address="Westvest 7, 2611 AX Delft, the Netherlands",
    ),
)

_DPRD = (
    "Keputusan DPRD Kabupaten Pesawaran Nomor {n} Tahun {{year}} tentang Persetujuan Kerja Sama Daerah dengan {whom}"
)
_MENDAGRI = "Surat Persetujuan Menteri Dalam Negeri Nomor 100.4.6/{n}/OTDA Tahun {{year}}"
_KSP_BASIS = (
    "PP Nomor 27 Tahun 2014 tentang Pengelolaan Barang Milik Negara/Daerah sebagaimana diubah dengan PP Nomor 28 "
    "Tahun 2020: jangka waktu kerja sama pemanfaatan barang milik daerah paling lama 30 tahun."
)

PESAWARAN_AGREEMENTS = (
    # KSDD wajib: with neighbouring regions, for public services across the boundary --------
    AgreementSpec(
        1,
        "ksb_bandar_lampung",
        Category.KSDD_MANDATORY,
        Kind.KSB,
        "Kesepakatan Bersama tentang Kerja Sama Penyelenggaraan Pelayanan Publik di Wilayah Perbatasan "
        "Kabupaten Pesawaran dan Kota Bandar Lampung",
        ("bandar_lampung",),
        "Bag. KS",
        ("DLH", "Dishub", "DPUPR"),
        ("1.03", "2.11", "2.15"),
        object="Penyelenggaraan pelayanan publik lintas batas: persampahan, angkutan umum dan air minum.",
        scope="1. Pengelolaan sampah regional; 2. Layanan angkutan umum lintas wilayah; "
        "3. Penyediaan air minum bagi kawasan perbatasan; 4. Pertukaran data dan informasi.",
        benefits="Warga kecamatan perbatasan (Gedong Tataan, Negeri Katon, Teluk Pandan) mendapat layanan "
        "persampahan, angkutan dan air minum yang tidak efisien bila disediakan sendiri.",
        signed=-1200,
        ends=625,
        financing=Financing.SHARED,
        public=True,
        dprd_ref=_DPRD.format(n=5, whom="Pemerintah Kota Bandar Lampung"),
    ),
    AgreementSpec(
        2,
        "pks_bandar_lampung_tpa",
        Category.KSDD_MANDATORY,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Pemanfaatan Tempat Pemrosesan Akhir (TPA) Bakung untuk Sampah dari "
        "Kabupaten Pesawaran",
        ("bandar_lampung",),
        "DLH",
        ("Bag. KS",),
        ("2.11",),
        object="Pembuangan dan pemrosesan sampah dari Kecamatan Gedong Tataan, Negeri Katon dan Teluk Pandan di "
        "TPA Bakung.",
        scope="Volume paling banyak 60 ton per hari; retribusi (tipping fee) per ton; pengangkutan oleh DLH "
        "Kabupaten Pesawaran; laporan volume bulanan.",
        benefits="Sampah dari tiga kecamatan (sekitar 95.000 jiwa) terangkut dan diproses; berkurangnya "
        "pembuangan sampah liar di pinggir jalan dan sungai.",
        signed=-1100,
        ends=600,
        financing=Financing.APBD,
        value=2_400_000_000,
        parent="ksb_bandar_lampung",
        by_sekda=True,
        public=True,
    ),
    AgreementSpec(
        3,
        "add_bandar_lampung_tpa",
        Category.KSDD_MANDATORY,
        Kind.ADDENDUM,
        "Addendum I Perjanjian Kerja Sama Pemanfaatan TPA Bakung: Penyesuaian Tarif Retribusi dan Kuota Volume",
        ("bandar_lampung",),
        "DLH",
        (),
        ("2.11",),
        object="Perubahan Pasal 5 dan Pasal 7: tipping fee menjadi Rp45.000 per ton dan kuota menjadi 75 ton per hari.",
        benefits="Sampah dari Kecamatan Way Lima ikut terlayani tanpa menambah armada.",
        signed=-200,
        ends=600,
        financing=Financing.APBD,
        value=650_000_000,
        parent="pks_bandar_lampung_tpa",
        by_sekda=True,
    ),
    AgreementSpec(
        4,
        "pks_bandar_lampung_angkutan",
        Category.KSDD_MANDATORY,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Layanan Angkutan Umum Massal Rute Bandar Lampung – Gedong Tataan",
        ("bandar_lampung",),
        "Dishub",
        (),
        ("2.15",),
        object="Layanan bus angkutan massal rute Terminal Rajabasa – Gedong Tataan dengan subsidi bersama.",
        scope="Penetapan trayek, halte dan jadwal; subsidi operasional dibagi menurut panjang lintasan.",
        benefits="Pelajar dan pekerja komuter mendapat angkutan murah dan terjadwal ke Bandar Lampung.",
        signed=-1000,
        ends=790,
        financing=Financing.SHARED,
        value=1_800_000_000,
        parent="ksb_bandar_lampung",
        terminated=(
            -60,
            TerminationGround.OBJECT_LOST,
            "Operator angkutan massal berhenti beroperasi dan izin trayek dicabut; kedua pihak menyepakati "
            "pengakhiran dalam rapat TKKSD bersama.",
        ),
    ),
    AgreementSpec(
        5,
        "ksb_lampung_selatan",
        Category.KSDD_MANDATORY,
        Kind.KSB,
        "Kesepakatan Bersama tentang Pembangunan dan Pemeliharaan Infrastruktur serta Penanggulangan Bencana di "
        "Wilayah Perbatasan",
        ("lampung_selatan",),
        "DPUPR",
        ("BPBD",),
        ("1.03", "1.05"),
        object="Penanganan jalan penghubung dan penanggulangan bencana di perbatasan Pesawaran – Lampung Selatan.",
        scope="1. Pemeliharaan jalan penghubung; 2. Normalisasi saluran drainase; 3. Bantuan personel dan "
        "peralatan saat bencana.",
        benefits="Akses jalan antarkecamatan terjaga dan respons bencana di perbatasan lebih cepat.",
        signed=-900,
        ends=900,
        public=True,
    ),
    AgreementSpec(
        6,
        "pks_lampung_selatan_jalan",
        Category.KSDD_MANDATORY,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Pemeliharaan Ruas Jalan Penghubung Negeri Katon – Natar",
        ("lampung_selatan",),
        "DPUPR",
        (),
        ("1.03",),
        object="Pemeliharaan rutin dan berkala ruas jalan Negeri Katon – Natar sepanjang 14,2 km.",
        scope="Pembagian segmen pemeliharaan; pengawasan bersama; pelaporan kondisi jalan per semester.",
        benefits="Waktu tempuh petani ke Pasar Natar turun; jalan mantap dari 58% menjadi 85%.",
        signed=-800,
        ends=20,
        financing=Financing.SHARED,
        value=3_200_000_000,
        parent="ksb_lampung_selatan",
        by_sekda=True,
        public=True,
    ),
    AgreementSpec(
        7,
        "ksb_pringsewu",
        Category.KSDD_MANDATORY,
        Kind.KSB,
        "Kesepakatan Bersama tentang Pelayanan Kesehatan dan Pengendalian Penyakit di Wilayah Perbatasan",
        ("pringsewu",),
        "Dinkes",
        ("Bag. KS",),
        ("1.02",),
        object="Pelayanan kesehatan rujukan dan pengendalian penyakit menular di perbatasan Pesawaran – Pringsewu.",
        benefits="Pasien dari desa perbatasan dirujuk ke fasilitas terdekat tanpa hambatan administrasi.",
        signed=-1500,
        ends=-30,
    ),
    AgreementSpec(
        8,
        "pks_pringsewu_rujukan",
        Category.KSDD_MANDATORY,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Rujukan Pasien dari Puskesmas Wilayah Barat ke RSUD Pringsewu",
        ("pringsewu",),
        "Dinkes",
        (),
        ("1.02",),
        object="Rujukan pasien dari Puskesmas Kedondong, Way Lima dan Way Khilau ke RSUD Pringsewu.",
        scope="Alur rujukan; pembiayaan pasien tidak mampu; pertukaran data kasus penyakit menular.",
        benefits="Waktu rujukan pasien gawat darurat dari desa barat turun dari 2 jam menjadi 45 menit.",
        signed=-1450,
        ends=-40,
        financing=Financing.APBD,
        value=900_000_000,
        parent="ksb_pringsewu",
    ),
    AgreementSpec(
        9,
        "ksb_tanggamus",
        Category.KSDD_MANDATORY,
        Kind.KSB,
        "Kesepakatan Bersama tentang Pengelolaan Daerah Aliran Sungai dan Jaringan Irigasi Lintas Kabupaten",
        ("tanggamus",),
        "DPUPR",
        ("Distan", "DLH"),
        ("1.03", "3.27"),
        object="Pengelolaan DAS dan jaringan irigasi yang melintasi Kabupaten Pesawaran dan Kabupaten Tanggamus.",
        benefits="Pasokan air irigasi sawah di hilir terjaga sepanjang musim tanam.",
        signed=-400,
        ends=1425,
    ),
    AgreementSpec(
        10,
        "pks_tanggamus_irigasi",
        Category.KSDD_MANDATORY,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Operasi dan Pemeliharaan Bersama Daerah Irigasi Way Ratai",
        ("tanggamus",),
        "DPUPR",
        ("Distan",),
        ("1.03", "3.27"),
        object="Operasi dan pemeliharaan saluran primer dan sekunder Daerah Irigasi Way Ratai.",
        scope="Jadwal pembagian air; pemeliharaan saluran; pembentukan kelompok P3A lintas desa.",
        benefits="Sekitar 1.200 hektare sawah terairi dua kali musim tanam.",
        signed=-300,
        ends=100,
        financing=Financing.SHARED,
        value=1_250_000_000,
        parent="ksb_tanggamus",
    ),
    # KSDD sukarela: voluntary cooperation with other regions ----------------------------
    AgreementSpec(
        11,
        "ksb_banyuwangi",
        Category.KSDD_VOLUNTARY,
        Kind.KSB,
        "Kesepakatan Bersama tentang Pengembangan Pariwisata Berbasis Masyarakat dan Inovasi Pelayanan Publik",
        ("banyuwangi",),
        "Dispar",
        ("Diskominfo", "DPMPTSP"),
        ("3.26", "2.16"),
        object="Alih pengetahuan pengembangan desa wisata dan inovasi pelayanan publik dari Kabupaten Banyuwangi.",
        scope="1. Pendampingan desa wisata; 2. Replikasi inovasi pelayanan perizinan; 3. Promosi pariwisata bersama.",
        benefits="Desa wisata Pesawaran dikelola masyarakat dengan standar layanan yang teruji.",
        signed=-700,
        ends=1100,
        public=True,
    ),
    AgreementSpec(
        12,
        "pks_banyuwangi_desa_wisata",
        Category.KSDD_VOLUNTARY,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Pendampingan Pengembangan Desa Wisata Pulau Pahawang dan Gunung Rejo",
        ("banyuwangi",),
        "Dispar",
        ("DPMD",),
        ("3.26",),
        object="Pendampingan pengelolaan homestay, paket wisata dan tata kelola Pokdarwis oleh mentor Banyuwangi.",
        scope="Magang pengelola desa wisata; pendampingan di lokasi; penyusunan standar homestay.",
        benefits="Kunjungan wisatawan ke dua desa wisata naik dan pendapatan Pokdarwis tercatat.",
        signed=-500,
        ends=5,
        financing=Financing.APBD,
        value=350_000_000,
        parent="ksb_banyuwangi",
        public=True,
    ),
    AgreementSpec(
        13,
        "ksb_metro_spbe_1",
        Category.KSDD_VOLUNTARY,
        Kind.KSB,
        "Kesepakatan Bersama tentang Pengembangan Sistem Pemerintahan Berbasis Elektronik",
        ("metro",),
        "Diskominfo",
        (),
        ("2.16",),
        object="Berbagi pakai aplikasi dan infrastruktur Sistem Pemerintahan Berbasis Elektronik (SPBE).",
        benefits="Biaya pengembangan aplikasi turun karena aplikasi dipakai bersama.",
        signed=-1800,
        ends=-200,
    ),
    AgreementSpec(
        14,
        "ksb_metro_spbe_2",
        Category.KSDD_VOLUNTARY,
        Kind.KSB,
        "Kesepakatan Bersama tentang Pengembangan Sistem Pemerintahan Berbasis Elektronik dan Satu Data (Perpanjangan)",
        ("metro",),
        "Diskominfo",
        ("Disdukcapil",),
        ("2.16", "2.20"),
        object="Kelanjutan berbagi pakai aplikasi SPBE, ditambah interoperabilitas data Satu Data Indonesia.",
        benefits="Indeks SPBE kedua daerah naik; data sektoral dapat dipakai lintas daerah.",
        signed=-150,
        ends=1675,
        predecessor="ksb_metro_spbe_1",
        public=True,
    ),
    AgreementSpec(
        15,
        "pks_metro_pengaduan",
        Category.KSDD_VOLUNTARY,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Berbagi Pakai Aplikasi Pengaduan Masyarakat dan Pusat Data",
        ("metro",),
        "Diskominfo",
        (),
        ("2.16",),
        object="Pemakaian bersama aplikasi pengaduan masyarakat dan ruang server pusat data Kota Metro.",
        benefits="Pengaduan warga tertangani rata-rata dalam 5 hari kerja.",
        signed=-100,
        ends=630,
        parent="ksb_metro_spbe_2",
    ),
    AgreementSpec(
        16,
        "ksb_pesisir_barat",
        Category.KSDD_VOLUNTARY,
        Kind.KSB,
        "Rancangan Kesepakatan Bersama tentang Pengembangan Koridor Wisata Bahari Teluk Lampung – Pesisir Barat",
        ("pesisir_barat",),
        "Dispar",
        ("DKP", "Dishub"),
        ("3.26", "3.25"),
        object="Paket wisata bahari terpadu Pahawang – Kiluan – Krui dan promosi bersama.",
        benefits="Lama tinggal wisatawan di pesisir Lampung bertambah.",
    ),
    AgreementSpec(
        17,
        "loi_tanggamus_kiluan",
        Category.KSDD_VOLUNTARY,
        Kind.LOI,
        "Surat Pernyataan Kehendak Kerja Sama Pengembangan Paket Wisata Bahari Teluk Lampung – Teluk Kiluan",
        ("tanggamus",),
        "Dispar",
        (),
        ("3.26",),
        object="Pernyataan kehendak menyusun paket wisata bahari bersama dan kajian dermaga wisata.",
        signed=-60,
        ends=300,
    ),
    AgreementSpec(
        18,
        "ksb_provinsi_inflasi",
        Category.KSDD_VOLUNTARY,
        Kind.KSB,
        "Kesepakatan Bersama tentang Pengendalian Inflasi Daerah dan Penguatan Ketahanan Pangan",
        ("provinsi_lampung",),
        "Disperindag",
        ("Distan", "Bappeda"),
        ("2.09", "3.30"),
        object="Koordinasi pengendalian harga bahan pokok dan cadangan pangan daerah.",
        benefits="Harga beras, cabai dan bawang di Pasar Induk Gedong Tataan lebih stabil.",
        signed=-200,
        ends=1600,
    ),
    AgreementSpec(
        19,
        "pks_provinsi_pasar_murah",
        Category.KSDD_VOLUNTARY,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Operasi Pasar Murah dan Gerakan Pangan Murah",
        ("provinsi_lampung",),
        "Disperindag",
        (),
        ("2.09", "3.30"),
        object="Operasi pasar murah di 11 kecamatan menjelang hari besar keagamaan.",
        benefits="Sekitar 20.000 keluarga membeli bahan pokok di bawah harga pasar.",
        signed=-180,
        ends=400,
        financing=Financing.SHARED,
        value=600_000_000,
        parent="ksb_provinsi_inflasi",
    ),
    # KSDPK: with third parties ----------------------------------------------------------
    AgreementSpec(
        20,
        "ksb_bank_lampung_1",
        Category.KSDPK,
        Kind.KSB,
        "Kesepakatan Bersama tentang Pengelolaan Kas Daerah dan Pemanfaatan Jasa Perbankan",
        ("bank_lampung",),
        "BPKAD",
        object="Pemanfaatan jasa perbankan PT Bank Lampung untuk pengelolaan kas daerah.",
        signed=-2200,
        ends=-100,
    ),
    AgreementSpec(
        21,
        "pks_bank_lampung_rkud_1",
        Category.KSDPK,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Penempatan Rekening Kas Umum Daerah dan Layanan Pembayaran Gaji ASN",
        ("bank_lampung",),
        "BPKAD",
        object="Penempatan RKUD dan layanan pembayaran gaji aparatur sipil negara.",
        signed=-2150,
        ends=-335,
        parent="ksb_bank_lampung_1",
        by_sekda=True,
    ),
    AgreementSpec(
        22,
        "ksb_bank_lampung_2",
        Category.KSDPK,
        Kind.KSB,
        "Kesepakatan Bersama tentang Pengelolaan Kas Daerah, Elektronifikasi Transaksi dan Pemberdayaan Ekonomi Daerah",
        ("bank_lampung",),
        "BPKAD",
        ("Disperindag",),
        object="Pengelolaan kas daerah, elektronifikasi transaksi pemerintah daerah dan pembiayaan UMKM.",
        benefits="Seluruh pendapatan dan belanja daerah tercatat non-tunai; UMKM mendapat akses kredit.",
        signed=-120,
        ends=1700,
        predecessor="ksb_bank_lampung_1",
        public=True,
    ),
    AgreementSpec(
        23,
        "pks_bank_lampung_rkud_2",
        Category.KSDPK,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Penempatan Rekening Kas Umum Daerah dan Layanan Transaksi Non-Tunai",
        ("bank_lampung",),
        "BPKAD",
        object="Penempatan RKUD, layanan Cash Management System dan pembayaran non-tunai.",
        scope="Penempatan RKUD; layanan CMS; pembayaran gaji ASN; penerimaan pajak daerah melalui kanal digital.",
        benefits="Rekonsiliasi kas harian otomatis; pajak daerah dapat dibayar dari telepon genggam.",
        signed=-110,
        ends=1700,
        parent="ksb_bank_lampung_2",
        predecessor="pks_bank_lampung_rkud_1",
        by_sekda=True,
        public=True,
    ),
    AgreementSpec(
        24,
        "add_bank_lampung_qris",
        Category.KSDPK,
        Kind.ADDENDUM,
        "Addendum I Perjanjian Kerja Sama Penempatan RKUD: Penambahan Layanan Pembayaran Retribusi melalui QRIS",
        ("bank_lampung",),
        "BPKAD",
        ("Disperindag",),
        object="Penambahan Pasal 6A: pembayaran retribusi pasar dan parkir melalui QRIS.",
        benefits="Retribusi pasar tercatat langsung ke RKUD tanpa setoran tunai petugas.",
        signed=-20,
        ends=1700,
        parent="pks_bank_lampung_rkud_2",
        by_sekda=True,
    ),
    AgreementSpec(
        25,
        "ksb_bri",
        Category.KSDPK,
        Kind.KSB,
        "Kesepakatan Bersama tentang Elektronifikasi Transaksi Pemerintah Daerah dan Akses Pembiayaan bagi Usaha Mikro",
        ("bri",),
        "Diskop UKM",
        ("BPKAD",),
        ("2.17",),
        object="Perluasan layanan perbankan, agen BRILink di desa, dan penyaluran kredit usaha mikro.",
        signed=-600,
        ends=1200,
    ),
    AgreementSpec(
        26,
        "pks_bri_kur",
        Category.KSDPK,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Penyaluran Kredit Usaha Rakyat bagi Usaha Mikro Binaan Kabupaten Pesawaran",
        ("bri",),
        "Diskop UKM",
        (),
        ("2.17",),
        object="Penyaluran KUR kepada usaha mikro yang direkomendasikan Dinas Koperasi dan UKM.",
        scope="Pendataan calon debitur; pelatihan literasi keuangan; pemantauan kredit bermasalah.",
        benefits="1.500 usaha mikro mendapat kredit dengan bunga bersubsidi.",
        signed=-550,
        ends=170,
        financing=Financing.PARTNER,
        value=25_000_000_000,
        parent="ksb_bri",
        public=True,
    ),
    AgreementSpec(
        27,
        "pks_bni_payroll",
        Category.KSDPK,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Layanan Pembayaran Gaji dan Fasilitas Kredit Aparatur Sipil Negara",
        ("bni",),
        "BPKAD",
        object="Layanan payroll dan kredit beragun gaji bagi ASN Pemerintah Kabupaten Pesawaran.",
        signed=-1400,
        ends=-20,
    ),
    AgreementSpec(
        28,
        "loi_bsi",
        Category.KSDPK,
        Kind.LOI,
        "Surat Pernyataan Kehendak tentang Layanan Perbankan Syariah bagi Pondok Pesantren dan UMKM Halal",
        ("bsi",),
        "Diskop UKM",
        (),
        ("2.17",),
        object="Pernyataan kehendak menyusun program pembiayaan syariah bagi pondok pesantren dan UMKM halal.",
        signed=-45,
        ends=320,
    ),
    AgreementSpec(
        29,
        "ksb_pln",
        Category.KSDPK,
        Kind.KSB,
        "Kesepakatan Bersama tentang Penyediaan Tenaga Listrik Perdesaan dan Penerangan Jalan Umum",
        ("pln",),
        "DPUPR",
        ("Dishub", "BPKAD"),
        ("3.29", "1.04"),
        object="Perluasan jaringan listrik ke dusun yang belum berlistrik dan penataan penerangan jalan umum.",
        benefits="Rasio elektrifikasi dusun naik; tagihan PJU sesuai pemakaian nyata.",
        signed=-800,
        ends=1000,
        public=True,
    ),
    AgreementSpec(
        30,
        "pks_pln_pju",
        Category.KSDPK,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Pengelolaan Penerangan Jalan Umum Berbasis Meter dan Penertiban Sambungan "
        "Ilegal",
        ("pln",),
        "Dishub",
        (),
        ("3.29", "2.15"),
        object="Pemasangan meter pada titik PJU dan penertiban sambungan PJU tanpa meter.",
        scope="Inventarisasi 4.300 titik PJU; pemasangan kWh meter; rekonsiliasi tagihan triwulanan.",
        benefits="Tagihan PJU turun sekitar 18% dan ruas jalan gelap berkurang.",
        signed=-780,
        ends=25,
        financing=Financing.APBD,
        value=4_800_000_000,
        parent="ksb_pln",
        by_sekda=True,
        public=True,
    ),
    AgreementSpec(
        31,
        "pks_pertamina_spbun",
        Category.KSDPK,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Pembangunan dan Pengoperasian Solar Packed Dealer Nelayan (SPBUN) di Pulau "
        "Legundi dan Ketapang",
        ("pertamina",),
        "DKP",
        ("DPMPTSP",),
        ("3.25", "3.29"),
        object="Pembangunan dan pengoperasian dua SPBUN untuk nelayan di Pulau Legundi dan Ketapang.",
        scope="Penyediaan lahan oleh Pemda; pembangunan dan operasi oleh mitra; kuota BBM berdasarkan data nelayan.",
        benefits="Nelayan kecil membeli solar dengan harga resmi tanpa menyeberang ke daratan.",
        signed=-300,
        ends=1400,
        financing=Financing.PARTNER,
        value=3_500_000_000,
        public=True,
    ),
    AgreementSpec(
        32,
        "ksb_pelindo",
        Category.KSDPK,
        Kind.KSB,
        "Rancangan Kesepakatan Bersama tentang Pengembangan Dermaga Penyeberangan Wisata Ketapang – Pulau Pahawang",
        ("pelindo",),
        "Dishub",
        ("DKP", "Dispar"),
        ("2.15", "3.26"),
        object="Kajian dan pembangunan dermaga penyeberangan wisata yang aman di Ketapang.",
        benefits="Wisatawan menyeberang dengan aman; antrean kapal di musim liburan berkurang.",
    ),
    AgreementSpec(
        33,
        "pks_telkom_internet_desa_1",
        Category.KSDPK,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Penyediaan Layanan Internet Desa dan Pusat Komando (Command Center)",
        ("telkom",),
        "Diskominfo",
        ("DPMD",),
        ("2.16",),
        object="Layanan internet untuk 144 kantor desa dan jaringan pusat komando kabupaten.",
        benefits="Pelayanan administrasi desa berjalan daring.",
        signed=-1000,
        ends=-5,
        financing=Financing.APBD,
        value=2_100_000_000,
    ),
    AgreementSpec(
        34,
        "pks_telkom_internet_desa_2",
        Category.KSDPK,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Penyediaan Layanan Internet Desa dan Pusat Komando (Perpanjangan)",
        ("telkom",),
        "Diskominfo",
        ("DPMD",),
        ("2.16",),
        object="Perpanjangan layanan internet desa dengan kapasitas dinaikkan menjadi 50 Mbps per desa.",
        financing=Financing.APBD,
        value=2_400_000_000,
        predecessor="pks_telkom_internet_desa_1",
    ),
    AgreementSpec(
        35,
        "pks_pos_bansos",
        Category.KSDPK,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Penyaluran Bantuan Sosial Daerah melalui Jaringan Kantor Pos",
        ("pos",),
        "Dinsos",
        (),
        ("1.06",),
        object="Penyaluran bantuan sosial tunai daerah kepada penerima manfaat melalui kantor pos dan juru bayar.",
        benefits="Bantuan diterima langsung oleh 6.200 keluarga, termasuk lansia yang dikunjungi ke rumah.",
        signed=-400,
        ends=330,
        financing=Financing.APBD,
        value=450_000_000,
        public=True,
    ),
    AgreementSpec(
        36,
        "pks_tirta_pesawaran_spam",
        Category.KSDPK,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Pengelolaan Sistem Penyediaan Air Minum Ibu Kota Kecamatan Gedong Tataan",
        ("tirta_pesawaran",),
        "DPUPR",
        (),
        ("1.03",),
        object="Penyerahan pengelolaan SPAM IKK Gedong Tataan kepada Perumda Air Minum Tirta Pesawaran.",
        benefits="3.800 sambungan rumah mendapat air minum 24 jam.",
        signed=-1600,
        ends=200,
        financing=Financing.APBD,
        value=5_500_000_000,
    ),
    AgreementSpec(
        37,
        "pks_pmb_pasar_induk",
        Category.KSDPK,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Pengelolaan Pasar Induk Gedong Tataan",
        ("pmb",),
        "Disperindag",
        (),
        ("3.30",),
        object="Pengelolaan los, kios, kebersihan dan parkir Pasar Induk Gedong Tataan oleh BUMD.",
        benefits="Pasar lebih bersih dan tertib; setoran bagi hasil ke kas daerah tercatat bulanan.",
        signed=-500,
        ends=1200,
        financing=Financing.PARTNER,
    ),
    AgreementSpec(
        38,
        "mou_unila",
        Category.KSDPK,
        Kind.MOU,
        "Nota Kesepahaman tentang Pelaksanaan Tridharma Perguruan Tinggi dalam Mendukung Pembangunan Daerah",
        ("unila",),
        "Bappeda",
        ("Dinkes", "Disdikbud", "DKP"),
        ("1.01", "1.02", "3.25"),
        object="Pendidikan, penelitian dan pengabdian kepada masyarakat untuk pembangunan Kabupaten Pesawaran.",
        benefits="Kebijakan daerah disusun berbasis kajian; mahasiswa KKN membantu program prioritas.",
        signed=-1000,
        ends=800,
        public=True,
    ),
    AgreementSpec(
        39,
        "pks_unila_stunting",
        Category.KSDPK,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Kuliah Kerja Nyata Tematik Percepatan Penurunan Stunting",
        ("unila",),
        "Dinkes",
        ("DPMD",),
        ("1.02",),
        object="Penempatan mahasiswa KKN tematik di 30 desa lokus stunting.",
        scope="Pendataan balita; edukasi gizi keluarga; pendampingan posyandu; pelaporan hasil per periode KKN.",
        benefits="Prevalensi stunting di desa lokus turun dari 18,9% menjadi 14%.",
        signed=-400,
        ends=330,
        financing=Financing.SHARED,
        value=275_000_000,
        parent="mou_unila",
        public=True,
    ),
    AgreementSpec(
        40,
        "pks_unila_minapolitan",
        Category.KSDPK,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Kajian Kelayakan Kawasan Minapolitan Teluk Pandan",
        ("unila",),
        "DKP",
        ("Bappeda",),
        ("3.25",),
        object="Kajian kelayakan dan rencana induk kawasan minapolitan Teluk Pandan.",
        signed=-700,
        ends=-300,
        financing=Financing.APBD,
        value=180_000_000,
        parent="mou_unila",
    ),
    AgreementSpec(
        41,
        "mou_itera",
        Category.KSDPK,
        Kind.MOU,
        "Nota Kesepahaman tentang Pengembangan Energi Terbarukan, Tata Ruang dan Kebencanaan",
        ("itera",),
        "Bappeda",
        ("DPUPR", "DLH"),
        ("1.03", "3.29"),
        object="Kerja sama kajian dan pendampingan teknis energi terbarukan, tata ruang dan mitigasi bencana.",
        signed=-300,
        ends=1500,
    ),
    AgreementSpec(
        42,
        "pks_itera_rdtr",
        Category.KSDPK,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Penyusunan Rencana Detail Tata Ruang Kawasan Perkotaan Gedong Tataan",
        ("itera",),
        "DPUPR",
        (),
        ("1.03",),
        object="Penyusunan dokumen RDTR Kawasan Perkotaan Gedong Tataan sampai siap diintegrasikan ke OSS.",
        benefits="Perizinan berusaha di kawasan perkotaan dapat terbit otomatis melalui OSS.",
        signed=-200,
        ends=160,
        financing=Financing.APBD,
        value=750_000_000,
        parent="mou_itera",
        public=True,
    ),
    AgreementSpec(
        43,
        "mou_uin",
        Category.KSDPK,
        Kind.MOU,
        "Nota Kesepahaman tentang Penguatan Pendidikan Karakter dan Pemberdayaan Masyarakat",
        ("uin",),
        "Disdikbud",
        ("Dinsos",),
        ("1.01", "1.06"),
        object="Pendidikan karakter di sekolah dan pemberdayaan masyarakat berbasis tempat ibadah.",
        signed=-800,
        ends=1000,
    ),
    AgreementSpec(
        44,
        "pks_uin_karakter",
        Category.KSDPK,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Pendampingan Pendidikan Karakter di Sekolah Dasar dan Sekolah Menengah Pertama",
        ("uin",),
        "Disdikbud",
        (),
        ("1.01",),
        object="Pendampingan guru dan penyusunan modul pendidikan karakter di 40 sekolah.",
        benefits="Guru di 40 sekolah memakai modul pendidikan karakter yang sama.",
        signed=-350,
        ends=15,
        financing=Financing.APBD,
        value=120_000_000,
        parent="mou_uin",
    ),
    AgreementSpec(
        45,
        "mou_polinela",
        Category.KSDPK,
        Kind.MOU,
        "Nota Kesepahaman tentang Pengembangan Sumber Daya Manusia Pertanian dan Hilirisasi Kakao",
        ("polinela",),
        "Distan",
        ("Diskop UKM", "Disperindag"),
        ("3.27", "3.31"),
        object="Pelatihan vokasi petani dan pengembangan produk olahan kakao.",
        benefits="Petani kakao Pesawaran menjual biji fermentasi dan produk olahan bernilai tambah.",
        signed=-150,
        ends=1650,
        public=True,
    ),
    AgreementSpec(
        46,
        "pks_polinela_inkubasi",
        Category.KSDPK,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Inkubasi Bisnis Produk Olahan Kakao Kelompok Tani",
        ("polinela",),
        "Distan",
        ("Diskop UKM",),
        ("3.27", "3.31"),
        object="Inkubasi 20 kelompok tani untuk produk cokelat batang, bubuk kakao dan nib kakao.",
        financing=Financing.SHARED,
        value=300_000_000,
        parent="mou_polinela",
    ),
    AgreementSpec(
        47,
        "mou_teknokrat",
        Category.KSDPK,
        Kind.MOU,
        "Nota Kesepahaman tentang Transformasi Digital Usaha Mikro, Kecil dan Menengah",
        ("teknokrat",),
        "Diskop UKM",
        (),
        ("2.17",),
        object="Pelatihan pemasaran digital dan pendampingan toko daring bagi UMKM.",
        signed=-1900,
        ends=-10,
        archive_reason="Berakhir tanpa rencana kerja turunan; evaluasi TKKSD merekomendasikan tidak diperpanjang "
        "sehingga naskah dipindahkan ke arsip.",
    ),
    AgreementSpec(
        48,
        "pks_bahari_pahawang",
        Category.KSDPK,
        Kind.PKS,
        "Perjanjian Kerja Sama Pemanfaatan Barang Milik Daerah berupa Kawasan Wisata Pantai dan Dermaga Pulau Pahawang",
        ("bahari_resort",),
        "Dispar",
        ("BPKAD", "DLH"),
        ("3.26",),
        object="Kerja sama pemanfaatan (KSP) lahan pantai dan dermaga milik daerah di Pulau Pahawang.",
        scope="Pembangunan fasilitas wisata oleh mitra; kontribusi tetap tahunan dan pembagian keuntungan; "
        "kewajiban mempekerjakan warga setempat; penyerahan bangunan di akhir masa kerja sama.",
        benefits="Kontribusi tetap ke kas daerah, 120 warga pulau bekerja di kawasan wisata.",
        signed=-900,
        ends=3000,
        financing=Financing.PARTNER,
        value=4_200_000_000,
        longer_term_basis=_KSP_BASIS,
        dprd_ref=_DPRD.format(n=11, whom="PT Pesawaran Bahari Resort"),
        public=True,
    ),
    AgreementSpec(
        49,
        "pks_sinar_laut_cold_storage",
        Category.KSDPK,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Pengelolaan Cold Storage dan Sentra Pemasaran Ikan Ketapang",
        ("sinar_laut",),
        "DKP",
        (),
        ("3.25",),
        object="Pengelolaan cold storage milik daerah dan sentra pemasaran ikan di Ketapang.",
        benefits="Harga ikan di tingkat nelayan tidak jatuh saat panen raya.",
        signed=-600,
        ends=500,
        financing=Financing.PARTNER,
        value=1_500_000_000,
    ),
    AgreementSpec(
        50,
        "ksb_agro_kakao",
        Category.KSDPK,
        Kind.KSB,
        "Kesepakatan Bersama tentang Kemitraan Hilirisasi Kakao Kabupaten Pesawaran",
        ("agro_kakao",),
        "Distan",
        ("Disperindag", "Diskop UKM"),
        ("3.27", "3.31"),
        object="Kemitraan pembelian, fermentasi dan pengolahan kakao petani Pesawaran.",
        signed=-250,
        ends=1500,
    ),
    AgreementSpec(
        51,
        "pks_agro_kakao_offtake",
        Category.KSDPK,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Pembelian Biji Kakao Fermentasi dari Kelompok Tani dan Gapoktan",
        ("agro_kakao",),
        "Distan",
        (),
        ("3.27",),
        object="Pembelian biji kakao fermentasi dari 35 kelompok tani dengan harga premium di atas harga pasar.",
        scope="Standar mutu biji; jadwal pembelian; pendampingan fermentasi; pembayaran non-tunai ke rekening "
        "kelompok.",
        benefits="Pendapatan petani kakao naik sekitar Rp2.000 per kilogram.",
        signed=-200,
        ends=530,
        financing=Financing.PARTNER,
        value=8_000_000_000,
        parent="ksb_agro_kakao",
        public=True,
    ),
    AgreementSpec(
        52,
        "pks_energi_surya_plts",
        Category.KSDPK,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Pemasangan dan Pengoperasian Pembangkit Listrik Tenaga Surya Atap di Gedung "
        "Pemerintah Daerah",
        ("energi_surya",),
        "DPUPR",
        ("BPKAD",),
        ("3.29",),
        object="Pemasangan PLTS atap berkapasitas 600 kWp di 12 gedung pemerintah daerah dengan skema sewa.",
        signed=-700,
        ends=1000,
        financing=Financing.PARTNER,
        value=2_750_000_000,
        terminated=(
            -90,
            TerminationGround.BREACH,
            "Mitra tidak menyelesaikan pemasangan tahap II sampai batas waktu dan tidak menanggapi dua surat "
            "teguran; perjanjian diakhiri sesuai Pasal 14.",
        ),
    ),
    AgreementSpec(
        53,
        "loi_daur_ulang_rdf",
        Category.KSDPK,
        Kind.LOI,
        "Surat Pernyataan Kehendak tentang Pengolahan Sampah menjadi Bahan Bakar Jumputan Padat (RDF)",
        ("daur_ulang",),
        "DLH",
        (),
        ("2.11",),
        object="Pernyataan kehendak menyusun kajian pengolahan sampah menjadi RDF untuk industri semen.",
        signed=-30,
        ends=150,
    ),
    AgreementSpec(
        54,
        "pks_taufik_parkir_mutun",
        Category.KSDPK,
        Kind.PKS,
        "Perjanjian Kerja Sama Pinjam Pakai Lahan Milik Perseorangan untuk Kantong Parkir Kawasan Wisata Pantai Mutun",
        ("taufik",),
        "Dishub",
        ("Dispar",),
        ("2.15", "3.26"),
        object="Pinjam pakai lahan seluas 0,8 hektare untuk kantong parkir pengunjung Pantai Mutun.",
        benefits="Kemacetan di Jalan Raya Hanura pada akhir pekan berkurang.",
        signed=-400,
        ends=330,
        public=True,
    ),
    AgreementSpec(
        55,
        "pks_pesisir_lestari_mangrove",
        Category.KSDPK,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Rehabilitasi Mangrove dan Pemberdayaan Masyarakat Pesisir Teluk Pandan",
        ("pesisir_lestari",),
        "DLH",
        ("DKP",),
        ("2.11", "3.25"),
        object="Penanaman dan pemeliharaan 50.000 bibit mangrove serta pembentukan kelompok pengelola.",
        benefits="Abrasi pantai berkurang; kelompok perempuan pesisir mengolah produk turunan mangrove.",
        signed=-500,
        ends=230,
        financing=Financing.PARTNER,
        value=650_000_000,
        public=True,
    ),
    AgreementSpec(
        56,
        "pks_pmi",
        Category.KSDPK,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Pelayanan Darah dan Kesiapsiagaan Penanggulangan Bencana",
        ("pmi",),
        "BPBD",
        ("Dinkes",),
        ("1.05", "1.02"),
        object="Pelayanan darah bagi pasien tidak mampu dan kesiapsiagaan relawan saat bencana.",
        signed=-1200,
        ends=-400,
        financing=Financing.APBD,
        value=150_000_000,
    ),
    # Sinergi: with central government, NK + RK ---------------------------------------------
    AgreementSpec(
        57,
        "nk_kkp",
        Category.SYNERGY,
        Kind.NK,
        "Nota Kesepakatan tentang Pembangunan Kampung Nelayan Modern di Kabupaten Pesawaran",
        ("kkp",),
        "DKP",
        ("DPUPR", "Bappeda"),
        ("3.25",),
        object="Sinergi program Kampung Nelayan Modern di Desa Sukajaya Lempasing.",
        benefits="Kampung nelayan tertata dengan sarana tambat labuh, pengolahan dan pemasaran ikan.",
        signed=-500,
        ends=1300,
        public=True,
    ),
    AgreementSpec(
        58,
        "rk_kkp",
        Category.SYNERGY,
        Kind.RK,
        "Rencana Kerja Pembangunan Kampung Nelayan Modern Desa Sukajaya Lempasing",
        ("kkp",),
        "DKP",
        ("DPUPR",),
        ("3.25",),
        object="Pembangunan dermaga, balai pertemuan nelayan, pabrik es dan sanitasi kampung.",
        scope="APBN untuk sarana utama; APBD untuk jalan akses, air bersih dan pembebasan lahan.",
        benefits="320 rumah tangga nelayan memakai sarana baru.",
        signed=-480,
        ends=60,
        financing=Financing.SHARED,
        value=12_500_000_000,
        parent="nk_kkp",
        public=True,
    ),
    AgreementSpec(
        59,
        "nk_kemenpar",
        Category.SYNERGY,
        Kind.NK,
        "Nota Kesepakatan tentang Pengembangan Destinasi Wisata Bahari Pahawang – Kelagian – Mutun",
        ("kemenpar",),
        "Dispar",
        ("DPUPR", "Dishub"),
        ("3.26",),
        object="Sinergi pengembangan destinasi wisata bahari prioritas daerah.",
        signed=-350,
        ends=1450,
        public=True,
    ),
    AgreementSpec(
        60,
        "rk_kemenpar",
        Category.SYNERGY,
        Kind.RK,
        "Rencana Kerja Peningkatan Kapasitas Kelompok Sadar Wisata dan Sertifikasi Usaha Pariwisata Berkelanjutan",
        ("kemenpar",),
        "Dispar",
        (),
        ("3.26",),
        object="Pelatihan Pokdarwis dan sertifikasi CHSE bagi usaha pariwisata di tiga destinasi.",
        benefits="60 usaha pariwisata tersertifikasi CHSE.",
        signed=-330,
        ends=400,
        financing=Financing.SHARED,
        value=850_000_000,
        parent="nk_kemenpar",
    ),
    AgreementSpec(
        61,
        "nk_kejari",
        Category.SYNERGY,
        Kind.NK,
        "Nota Kesepakatan tentang Penanganan Masalah Hukum di Bidang Perdata dan Tata Usaha Negara",
        ("kejari",),
        "Bag. Hukum",
        object="Bantuan hukum, pertimbangan hukum dan tindakan hukum lain oleh Jaksa Pengacara Negara.",
        signed=-1300,
        ends=-60,
    ),
    AgreementSpec(
        62,
        "rk_kejari",
        Category.SYNERGY,
        Kind.RK,
        "Rencana Kerja Pendampingan Hukum Pengadaan Barang/Jasa dan Pemulihan Aset Daerah",
        ("kejari",),
        "Bag. Hukum",
        ("BPKAD",),
        object="Pendampingan hukum paket pengadaan strategis dan penagihan aset daerah yang dikuasai pihak lain.",
        signed=-1250,
        ends=-70,
        parent="nk_kejari",
    ),
    AgreementSpec(
        63,
        "nk_brin",
        Category.SYNERGY,
        Kind.NK,
        "Nota Kesepakatan tentang Penguatan Riset dan Inovasi Daerah",
        ("brin",),
        "Bappeda",
        ("Distan",),
        object="Penguatan ekosistem riset dan inovasi daerah serta pemanfaatan hasil riset nasional.",
        signed=-90,
        ends=1735,
    ),
    AgreementSpec(
        64,
        "rk_brin",
        Category.SYNERGY,
        Kind.RK,
        "Rencana Kerja Inkubasi Inovasi Daerah dan Kebun Percobaan Kakao",
        ("brin",),
        "Bappeda",
        ("Distan",),
        ("3.27",),
        object="Inkubasi inovasi perangkat daerah dan kebun percobaan klon kakao unggul.",
        financing=Financing.SHARED,
        value=500_000_000,
        parent="nk_brin",
    ),
    AgreementSpec(
        65,
        "nk_kemendes",
        Category.SYNERGY,
        Kind.NK,
        "Nota Kesepakatan tentang Percepatan Pembangunan Desa Wisata dan Penguatan Badan Usaha Milik Desa",
        ("kemendes",),
        "DPMD",
        ("Dispar",),
        ("2.13", "3.26"),
        object="Sinergi pendampingan desa wisata dan BUMDes di 20 desa.",
        signed=-700,
        ends=400,
    ),
    # KSDPL: with foreign local governments ---------------------------------------------
    AgreementSpec(
        66,
        "loi_kaigan",
        Category.KSDPL,
        Kind.LOI,
        "Letter of Intent Kerja Sama Kota Kembar (Sister City) Kabupaten Pesawaran dan Kota Kaigan",
        ("kaigan",),
        "Bag. KS",
        ("DKP", "Dispar"),
        ("3.25", "3.26"),
        object="Pernyataan kehendak menjalin kerja sama kota kembar di bidang perikanan dan pariwisata.",
        signed=-1000,
        ends=-600,
    ),
    AgreementSpec(
        67,
        "ksb_kaigan",
        Category.KSDPL,
        Kind.KSB,
        "Kesepakatan Bersama tentang Kerja Sama Kota Kembar di Bidang Perikanan, Pariwisata dan Pendidikan",
        ("kaigan",),
        "Bag. KS",
        ("DKP", "Dispar", "Disdikbud"),
        ("1.01", "3.25", "3.26"),
        object="Kerja sama kota kembar Kabupaten Pesawaran dan Kota Kaigan, Prefektur Ehime, Jepang.",
        scope="1. Alih teknologi budidaya dan pengolahan ikan; 2. Promosi pariwisata; 3. Pertukaran pelajar dan guru.",
        benefits="Nelayan dan pelajar Pesawaran mendapat akses teknologi dan pengalaman belajar di Jepang.",
        signed=-500,
        ends=1300,
        public=True,
        dprd_ref=_DPRD.format(n=9, whom="Kota Kaigan, Prefektur Ehime, Jepang"),
        central_ref=_MENDAGRI.format(n=2317),
    ),
    AgreementSpec(
        68,
        "pks_kaigan_pelajar",
        Category.KSDPL,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Pertukaran Pelajar dan Guru Bahasa Jepang",
        ("kaigan",),
        "Disdikbud",
        ("Bag. KS",),
        ("1.01",),
        object="Pertukaran 10 pelajar SMP dan 4 guru setiap tahun serta guru bahasa Jepang tamu.",
        benefits="Pelajar Pesawaran belajar di sekolah mitra; dua SMP membuka ekstrakurikuler bahasa Jepang.",
        signed=-300,
        ends=800,
        financing=Financing.SHARED,
        value=420_000_000,
        parent="ksb_kaigan",
        public=True,
        dprd_ref=_DPRD.format(n=9, whom="Kota Kaigan, Prefektur Ehime, Jepang"),
        central_ref=_MENDAGRI.format(n=4102),
    ),
    AgreementSpec(
        69,
        "loi_seonam",
        Category.KSDPL,
        Kind.LOI,
        "Letter of Intent Kerja Sama Pengembangan Agribisnis Kakao dan Kopi dengan Kabupaten Seonam, Korea Selatan",
        ("seonam",),
        "Distan",
        ("Bag. KS",),
        ("3.27",),
        object="Pernyataan kehendak kerja sama agribisnis kakao dan kopi serta pertukaran petani muda.",
        signed=-80,
        ends=285,
    ),
    AgreementSpec(
        70,
        "ksb_seonam",
        Category.KSDPL,
        Kind.KSB,
        "Rancangan Kesepakatan Bersama tentang Kerja Sama Agribisnis dan Pertukaran Petani Muda",
        ("seonam",),
        "Distan",
        ("Bag. KS", "Disperindag"),
        ("3.27", "3.30"),
        object="Kerja sama agribisnis kakao dan kopi, magang petani muda dan promosi dagang.",
    ),
    # KSDLL: with foreign institutions --------------------------------------------------
    AgreementSpec(
        71,
        "mou_jrdca",
        Category.KSDLL,
        Kind.MOU,
        "Memorandum of Understanding on Technical Cooperation for Coastal Community Development in Pesawaran Regency",
        ("jrdca",),
        "Bappeda",
        ("DKP", "DPMD"),
        ("3.25", "2.13"),
        object="Kerja sama teknik pengembangan masyarakat pesisir: budidaya laut, pengolahan dan pemasaran.",
        benefits="Pendapatan rumah tangga pembudidaya di pulau-pulau kecil naik.",
        signed=-600,
        ends=500,
        dprd_ref=_DPRD.format(n=3, whom="Japan Regional Development Cooperation Agency"),
        central_ref=_MENDAGRI.format(n=1588),
    ),
    AgreementSpec(
        72,
        "pks_jrdca_rumput_laut",
        Category.KSDLL,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Proyek Percontohan Budidaya Rumput Laut dan Kerang Hijau",
        ("jrdca",),
        "DKP",
        (),
        ("3.25",),
        object="Percontohan budidaya rumput laut dan kerang hijau di Pulau Pahawang dan Pulau Kelagian.",
        scope="Hibah peralatan budidaya; tenaga ahli; pelatihan 150 pembudidaya; uji pasar produk olahan.",
        benefits="150 pembudidaya memakai metode budidaya baru; produksi rumput laut naik dua kali lipat.",
        signed=-400,
        ends=150,
        financing=Financing.PARTNER,
        value=3_900_000_000,
        parent="mou_jrdca",
        public=True,
        dprd_ref=_DPRD.format(n=3, whom="Japan Regional Development Cooperation Agency"),
        central_ref=_MENDAGRI.format(n=3377),
    ),
    AgreementSpec(
        73,
        "add_jrdca_legundi",
        Category.KSDLL,
        Kind.ADDENDUM,
        "Addendum I Perjanjian Kerja Sama Proyek Percontohan Budidaya Rumput Laut: Perluasan Lokasi ke Pulau Legundi",
        ("jrdca",),
        "DKP",
        (),
        ("3.25",),
        object="Perluasan lokasi percontohan ke Pulau Legundi dan penambahan 50 pembudidaya.",
        signed=-60,
        ends=150,
        financing=Financing.PARTNER,
        value=800_000_000,
        parent="pks_jrdca_rumput_laut",
        dprd_ref=_DPRD.format(n=3, whom="Japan Regional Development Cooperation Agency"),
        central_ref=_MENDAGRI.format(n=5120),
    ),
    AgreementSpec(
        74,
        "pks_crf_tsunami",
        Category.KSDLL,
        Kind.PKS,
        "Perjanjian Kerja Sama tentang Sistem Peringatan Dini Tsunami Berbasis Masyarakat di Pesisir Teluk Lampung",
        ("crf",),
        "BPBD",
        ("Diskominfo",),
        ("1.05",),
        object="Pemasangan sirene, jalur evakuasi dan pelatihan desa tangguh bencana di 12 desa pesisir.",
        benefits="12 desa pesisir punya jalur evakuasi bertanda dan berlatih evakuasi setiap tahun.",
        signed=-1400,
        ends=-50,
        financing=Financing.PARTNER,
        value=2_300_000_000,
        dprd_ref=_DPRD.format(n=14, whom="Coastal Resilience Foundation"),
        central_ref=_MENDAGRI.format(n=977),
    ),
    AgreementSpec(
        75,
        "loi_ddwp",
        Category.KSDLL,
        Kind.LOI,
        "Letter of Intent on Raw Water Management and Flood Control in the Way Ratai Watershed",
        ("ddwp",),
        "DPUPR",
        ("BPBD",),
        ("1.03",),
        object="Pernyataan kehendak kajian bersama pengelolaan air baku dan pengendalian banjir DAS Way Ratai.",
        signed=-20,
        ends=345,
    ),
    AgreementSpec(
        76,
        "mou_ddwp",
        Category.KSDLL,
        Kind.MOU,
        "Rancangan Nota Kesepahaman tentang Pengelolaan Air Baku dan Pengendalian Banjir DAS Way Ratai",
        ("ddwp",),
        "DPUPR",
        ("BPBD", "DLH"),
        ("1.03", "2.11"),
        object="Kajian teknis, rencana induk dan percontohan polder di hilir Way Ratai.",
    ),
)

PESAWARAN = GovernmentDemo(
    code="18.09",
    slug="pesawaran",
    number_format="180/{seq}/{kind}/IV.02",
    head_name="H. Ahmad Syaifullah, S.E., M.M.",
    head_title="Bupati Pesawaran",
    sekda_name="Drs. Kesuma Wijaya, M.Si.",
    sekda_title="Sekretaris Daerah Kabupaten Pesawaran",
    power_of_attorney="Surat Kuasa Bupati Pesawaran Nomor 180/{n}/IV.02/{year}",
    users=PESAWARAN_USERS,
    agencies=PESAWARAN_AGENCIES,
    partners=PESAWARAN_PARTNERS,
    agreements=PESAWARAN_AGREEMENTS,
)

# Kabupaten Lampung Selatan: a second government, to see that registers stay apart --------

LAMPUNG_SELATAN = GovernmentDemo(
    code="18.01",
    slug="lampungselatan",
    number_format="119/{seq}/{kind}/II.04",
    head_name="H. Arif Munandar, S.H.",
    head_title="Bupati Lampung Selatan",
    sekda_name="Ir. Thamrin Syah, M.M.",
    sekda_title="Sekretaris Daerah Kabupaten Lampung Selatan",
    power_of_attorney="Surat Kuasa Bupati Lampung Selatan Nomor 180/{n}/II.04/{year}",
    users=(
        UserSpec(
            "admin.lamsel",
            "Fitri",
            "Handayani",
            Role.ADMIN,
            "Pengelola Kerja Sama, Bagian Kerja Sama Setda Lampung Selatan",
            gettext_lazy("Admin of another government: sees Lampung Selatan's 3 agreements and none of Pesawaran's."),
            agency="Bag. KS",
        ),
    ),
    agencies=(
        AgencySpec("Bag. KS", "Bagian Kerja Sama Sekretariat Daerah", "Yuliana Pertiwi, S.H., M.M."),
        AgencySpec("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "Ir. Gunadi Wibowo, M.T."),
    ),
    partners=(
        PartnerSpec(
            "pesawaran",
            "Pemerintah Kabupaten Pesawaran",
            PartnerType.GOVERNMENT,
            PESAWARAN.head_name,
            PESAWARAN.head_title,
            "180/{seq}/{kind}/IV.02/{year}",
            region="18.09",
            address="Jl. Raya Kedondong, Binong, Gedong Tataan, Pesawaran",
        ),
        PartnerSpec(
            "bank_lampung",
            "PT Bank Lampung",
            PartnerType.BANK,
            "Drs. Mulyadi Harahap, M.M.",
            "Direktur Utama PT Bank Lampung",
            "{seq}/DIR/BL-LS/{kind}/{year}",
            tax_number="07.461.538.2-321.000",
            address="Jl. Wolter Monginsidi No. 182, Teluk Betung, Bandar Lampung",
        ),
        PartnerSpec(
            "itera",
            "Institut Teknologi Sumatera",
            PartnerType.UNIVERSITY,
            "Prof. Dr. Ir. Lukman Hakim, M.T.",
            "Rektor Institut Teknologi Sumatera",
            "{seq}/IT9/KS-LS/{year}",
            address="Jl. Terusan Ryacudu, Way Huwi, Jati Agung, Lampung Selatan",
            website="https://www.itera.ac.id",
        ),
    ),
    agreements=(
        AgreementSpec(
            5,
            "ksb_pesawaran",
            Category.KSDD_MANDATORY,
            Kind.KSB,
            "Kesepakatan Bersama tentang Pembangunan dan Pemeliharaan Infrastruktur serta Penanggulangan Bencana di "
            "Wilayah Perbatasan",
            ("pesawaran",),
            "DPUPR",
            ("Bag. KS",),
            ("1.03", "1.05"),
            object="Penanganan jalan penghubung dan penanggulangan bencana di perbatasan Lampung Selatan – Pesawaran.",
            signed=-900,
            ends=900,
            public=True,
        ),
        AgreementSpec(
            12,
            "pks_bank_lampung_rkud",
            Category.KSDPK,
            Kind.PKS,
            "Perjanjian Kerja Sama tentang Penempatan Rekening Kas Umum Daerah Kabupaten Lampung Selatan",
            ("bank_lampung",),
            "Bag. KS",
            object="Penempatan RKUD dan layanan transaksi non-tunai Pemerintah Kabupaten Lampung Selatan.",
            signed=-300,
            ends=1400,
            by_sekda=True,
        ),
        AgreementSpec(
            19,
            "mou_itera_kota_baru",
            Category.KSDPK,
            Kind.MOU,
            "Nota Kesepahaman tentang Kajian Pengembangan Kawasan Perkotaan Baru Jati Agung",
            ("itera",),
            "DPUPR",
            (),
            ("1.03",),
            object="Kajian tata ruang dan infrastruktur kawasan perkotaan baru di sekitar kampus Itera.",
            signed=-100,
            ends=1700,
        ),
    ),
)

DEMOS = (PESAWARAN, LAMPUNG_SELATAN)

SUPERUSER_TRY = gettext_lazy("Django admin at /django-admin/: reference data (governments, affairs) and users.")


# Building ---------------------------------------------------------------------------------


@dataclass
class Tally:
    """What a build created and what it found already present, per kind of row."""

    created: Counter = field(default_factory=Counter)
    present: Counter = field(default_factory=Counter)

    def count(self, what: str, created: bool) -> None:
        (self.created if created else self.present)[what] += 1

    def lines(self) -> list[str]:
        labels = {
            "users": _("Users"),
            "agencies": _("Agencies"),
            "partners": _("Partners"),
            "agreements": _("Agreements"),
        }
        return [
            _("%(what)s: %(created)d created, %(present)d already present")
            % {"what": label, "created": self.created[what], "present": self.present[what]}
            for what, label in labels.items()
        ]


def build_demo(*, seed: int = DEFAULT_SEED, today: datetime.date | None = None) -> Tally:
    """Create whatever part of the demo is missing, in one transaction. Returns what was done."""
    with transaction.atomic():
        builder = _Builder(seed=seed, today=today or timezone.localdate())
        builder.build()
    return builder.tally


class _Builder:
    def __init__(self, *, seed: int, today: datetime.date) -> None:
        self.seed = seed
        self.today = today
        self.tally = Tally()
        self.governments: dict[str, Government] = {}
        self.affairs: dict[str, Affair] = {}

    def build(self) -> None:
        self._load_reference_data()
        self._superuser()
        for demo in DEMOS:
            self._government(demo)
        build_monitoring_demo(self.today)
        build_workflow_demo(self.today, self.tally)

    def _rng(self, *parts: str) -> random.Random:
        """A generator for one item's variations: the same seed gives the same item, whatever else exists."""
        return random.Random(":".join((str(self.seed), *parts)))  # noqa: S311 - demo data, not security

    def _load_reference_data(self) -> None:
        codes = set()
        for demo in DEMOS:
            codes.add(demo.code)
            codes.update(spec.government for spec in demo.users if spec.government)
            codes.update(spec.region for spec in demo.partners if spec.region)
        self.governments = Government.objects.in_bulk(codes, field_name="code")
        affair_codes = {code for demo in DEMOS for spec in demo.agreements for code in spec.affairs}
        self.affairs = Affair.objects.in_bulk(affair_codes, field_name="code")
        missing = sorted(codes - set(self.governments)) + sorted(affair_codes - set(self.affairs))
        if missing:
            raise DemoError(
                _("Reference data is missing (codes %(codes)s). Run `manage.py load_reference_data` first.")
                % {"codes": ", ".join(missing)}
            )

    def _superuser(self) -> None:
        if User.objects.filter(username=SUPERUSER).exists():
            self.tally.count("users", created=False)
            return
        User.objects.create_superuser(
            SUPERUSER, "superadmin@example.go.id", DEMO_PASSWORD, first_name="Admin", last_name="Sistem"
        )
        self.tally.count("users", created=True)

    def _government(self, demo: GovernmentDemo) -> None:
        government = self.governments[demo.code]
        admin_spec, *other_users = demo.users
        # The admin registers the agencies, so joins their own agency (the Bagian Kerja Sama) afterwards.
        admin, admin_created = self._user(demo, admin_spec, agencies={})
        if admin.role != Role.ADMIN or admin.government_id != government.pk:
            raise DemoError(
                _("User %(username)s already exists and is not the admin of %(government)s.")
                % {"username": admin.username, "government": government}
            )
        agencies = {spec.short_name: self._agency(demo, admin, spec) for spec in demo.agencies}
        if admin_created and admin_spec.agency:
            admin.agency = agencies[admin_spec.agency]
            admin.save(update_fields=["agency"])
        users = [admin] + [self._user(demo, spec, agencies)[0] for spec in other_users]
        officers = {user.agency_id: user for user in users if user.role == Role.OPD_OFFICER}
        partners = {spec.key: self._partner(demo, admin, spec) for spec in demo.partners}
        built: dict[str, Agreement] = {}
        for spec in demo.agreements:
            built[spec.key] = self._agreement(demo, government, admin, spec, agencies, officers, partners, built)

    def _user(self, demo: GovernmentDemo, spec: UserSpec, agencies: dict[str, Agency]) -> tuple[User, bool]:
        user = User.objects.filter(username=spec.username).first()
        if user is not None:
            self.tally.count("users", created=False)
            return user, False
        user = User.objects.create_user(
            spec.username,
            spec.email,
            DEMO_PASSWORD,
            first_name=spec.first_name,
            last_name=spec.last_name,
            role=spec.role,
            government=self.governments[spec.government or demo.code],
            agency=agencies.get(spec.agency),
            title=spec.title,
        )
        self.tally.count("users", created=True)
        return user, True

    def _agency(self, demo: GovernmentDemo, admin: User, spec: AgencySpec) -> Agency:
        agency = Agency.objects.filter(government_id=admin.government_id, name__iexact=spec.name).first()
        if agency is not None:
            self.tally.count("agencies", created=False)
            return agency
        rng = self._rng(demo.code, "agency", spec.short_name)
        fields = {
            "name": spec.name,
            "short_name": spec.short_name,
            "head_name": spec.head_name,
            "head_title": spec.head_title or f"Kepala {spec.name}",
            "email": re.sub(r"[^a-z0-9]", "", spec.short_name.lower()) + f".{demo.slug}@example.go.id",
            "phone": f"(0721) {rng.randint(690000, 699999)}",
        }
        agency = self._call(spec.short_name, government_services.agency_create, actor=admin, fields=fields)
        self.tally.count("agencies", created=True)
        return agency

    def _partner(self, demo: GovernmentDemo, admin: User, spec: PartnerSpec) -> Partner:
        rng = self._rng(demo.code, "partner", spec.key)
        fields = {
            "name": spec.name,
            "partner_type": spec.partner_type,
            "region": self.governments[spec.region] if spec.region else None,
            "tax_number": spec.tax_number,
            "country": spec.country,
            "address": spec.address,
            "contact_name": spec.signatory_name if spec.partner_type == PartnerType.INDIVIDUAL else "",
            "email": f"kerjasama.{spec.key.replace('_', '.')}@{_EMAIL_DOMAINS.get(spec.partner_type, 'example.co.id')}",
            "phone": "" if spec.country != "Indonesia" else f"(0721) {rng.randint(250000, 489999)}",
            "website": spec.website,
        }
        # The natural key is the normalised name; the service's duplicate check also matches the region and NPWP.
        partner = partner_services.find_duplicates(government_id=admin.government_id, fields=fields).first()
        if partner is not None:
            self.tally.count("partners", created=False)
            return partner
        partner = self._call(spec.key, partner_services.partner_create, actor=admin, fields=fields)
        self.tally.count("partners", created=True)
        return partner

    def _agreement(self, demo, government, admin, spec, agencies, officers, partners, built) -> Agreement:
        stem = demo.number_format.format(
            seq=spec.seq if spec.signed is not None else f"D-{spec.seq}", kind=KIND_CODES[spec.kind]
        )
        agreement = Agreement.objects.filter(government=government, number__startswith=f"{stem}/").first()
        if agreement is not None:
            self.tally.count("agreements", created=False)
            return agreement

        rng = self._rng(demo.code, "agreement", spec.key)
        signed_on = self._signing_day(spec.signed, rng) if spec.signed is not None else None
        year = (signed_on or self.today).year
        lead = agencies[spec.lead]
        supporting = [agencies[short] for short in spec.supporting]
        liaison = officers.get(lead.pk) or next((officers[a.pk] for a in supporting if a.pk in officers), None)
        fields = {
            "category": spec.category,
            "kind": spec.kind,
            "number": f"{stem}/{year}",
            "title": spec.title,
            "object": spec.object,
            "scope": spec.scope,
            "intended_benefits": spec.benefits,
            "our_signatory_name": demo.sekda_name if spec.by_sekda else demo.head_name,
            "our_signatory_title": demo.sekda_title if spec.by_sekda else demo.head_title,
            "power_of_attorney_ref": (
                demo.power_of_attorney.format(n=rng.randint(100, 899), year=year) if spec.by_sekda else ""
            ),
            "lead_agency": lead,
            "liaison_officer": liaison,
            "parent": built[spec.parent] if spec.parent else None,
            "predecessor": built[spec.predecessor] if spec.predecessor else None,
            "signed_on": signed_on,
            "effective_on": signed_on,
            "ends_on": self.today + datetime.timedelta(days=spec.ends) if spec.ends is not None else None,
            "longer_term_basis": spec.longer_term_basis,
            "financing": spec.financing,
            "value": self._vary(spec.value, rng),
            "dprd_approval_ref": spec.dprd_ref.format(year=year),
            "central_approval_ref": spec.central_ref.format(year=year),
            "is_public": spec.public,
        }
        parties = [
            agreement_services.PartyInput(
                partner=partners[key],
                # A draft has no numbers yet; a signed document has the partner's number too.
                party_number=(
                    _partner_spec(demo, key).number_format.format(
                        seq=20 + 3 * spec.seq + position, kind=KIND_CODES[spec.kind], year=year
                    )
                    if signed_on
                    else ""
                ),
                signatory_name=_partner_spec(demo, key).signatory_name,
                signatory_title=_partner_spec(demo, key).signatory_title,
            )
            for position, key in enumerate(spec.partners)
        ]
        agreement = self._call(
            spec.key,
            agreement_services.agreement_create,
            actor=admin,
            fields=fields,
            parties=parties,
            supporting_agencies=supporting,
            affairs=[self.affairs[code] for code in spec.affairs],
        )
        if spec.terminated:
            days, ground, note = spec.terminated
            _terminate(admin, agreement, self.today + datetime.timedelta(days=days), ground, note)
        if spec.archive_reason:
            agreement = self._call(
                spec.key,
                agreement_services.agreement_archive,
                actor=admin,
                agreement=agreement,
                reason=spec.archive_reason,
            )
        self.tally.count("agreements", created=True)
        return agreement

    def _signing_day(self, days: int, rng: random.Random) -> datetime.date:
        """`days` from today, a few days earlier by chance, and never on a weekend."""
        day = self.today + datetime.timedelta(days=days - rng.randint(0, 3))
        while day.weekday() >= 5:
            day -= datetime.timedelta(days=1)
        return day

    @staticmethod
    def _vary(value: int | None, rng: random.Random) -> Decimal | None:
        """A value within 10% of the given one, rounded to a million Rupiah."""
        if value is None:
            return None
        varied = value * (100 + rng.randint(-10, 10)) // 100
        return Decimal(max(1, round(varied / 1_000_000)) * 1_000_000)

    @staticmethod
    def _call(label: str, service, **kwargs):
        try:
            return service(**kwargs)
        except ValidationError as error:
            raise DemoError(
                _("Demo row %(label)s was rejected: %(errors)s") % {"label": label, "errors": error}
            ) from error
        except PermissionDenied as error:
            raise DemoError(
                _("The government's admin may not create demo row %(label)s.") % {"label": label}
            ) from error


def _partner_spec(demo: GovernmentDemo, key: str) -> PartnerSpec:
    return next(spec for spec in demo.partners if spec.key == key)


def _terminate(actor: User, agreement: Agreement, terminated_on: datetime.date, ground: str, note: str) -> None:
    """End an agreement early. There is no termination service yet, so this is the one plain,
    audited write of the demo; replace it with the service once it exists."""
    with acting_as(actor):
        agreement.terminated_on = terminated_on
        agreement.termination_ground = ground
        agreement.termination_note = note
        agreement.save(update_fields=["terminated_on", "termination_ground", "termination_note", "updated_at"])


# Logins -----------------------------------------------------------------------------------


def app_url() -> str:
    return f"{settings.SITE_URL.rstrip('/')}/app/"


def login_rows() -> list[tuple[str, ...]]:
    """One row per demo user: username, password, role, government, agency, what to try."""
    specs = [(spec, demo) for demo in DEMOS for spec in demo.users]
    usernames = [SUPERUSER] + [spec.username for spec, _demo in specs]
    users = User.objects.select_related("government", "agency").in_bulk(usernames, field_name="username")
    missing = str(_("(not created yet)"))

    superuser = users.get(SUPERUSER)
    rows = [
        (SUPERUSER, DEMO_PASSWORD, str(_("Django superuser")) if superuser else missing, "-", "-", str(SUPERUSER_TRY))
    ]
    for spec, _demo in specs:
        user = users.get(spec.username)
        if user is None:
            rows.append((spec.username, DEMO_PASSWORD, missing, "", "", str(spec.try_this)))
            continue
        rows.append(
            (
                user.username,
                DEMO_PASSWORD,
                str(Role(user.role).label) if user.role else "-",
                str(user.government or "-"),
                str(user.agency or "-"),
                str(spec.try_this),
            )
        )
    return rows


def format_logins() -> str:
    headers = (_("Username"), _("Password"), _("Role"), _("Government"), _("Agency"), _("Try"))
    rows = [tuple(str(header) for header in headers), *login_rows()]
    widths = [max(len(row[column]) for row in rows) for column in range(len(headers) - 1)]

    def line(row: tuple[str, ...]) -> str:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        return "  ".join([*cells, row[-1]]).rstrip()

    rule = "  ".join("-" * width for width in widths) + "  " + "-" * len(rows[0][-1])
    return "\n".join(
        [
            _("Demo logins (password for all: %(password)s)") % {"password": DEMO_PASSWORD},
            "",
            line(rows[0]),
            rule,
            *(line(row) for row in rows[1:]),
            "",
            _("Sign in at %(url)s") % {"url": app_url()},
        ]
    )


# Monitoring ----------------------------------------------------------------------------------


def build_monitoring_demo(today: datetime.date) -> None:
    """Monitoring data for Pesawaran's agreements in implementation, written through the
    monitoring services: obligations, indicators with targets and verified actuals, budget,
    beneficiaries, evidence (a small real JPEG with GPS and a small PDF), evaluations. Some are
    left deliberately dormant, off track or "paper only". Built once: skipped when Pesawaran
    already has monitoring data."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from jalin.monitoring import services as monitoring
    from jalin.monitoring.health import implementing_q
    from jalin.monitoring.models import Obligation, ProgressReport
    from jalin.monitoring.periods import last_due_period, periods_between

    government = Government.objects.filter(code="18.09").first()
    admin = User.objects.filter(username="admin", government=government).first()
    if (
        government is None
        or admin is None
        or Obligation.objects.filter(agreement__government=government)
        .exclude(
            agreement__number__startswith="NAT/"  # scale data (jalin/core/national.py) in the same database
        )
        .exists()
    ):
        return
    officers = {user.agency_id: user for user in User.objects.filter(government=government, role=Role.OPD_OFFICER)}
    agreements = list(
        Agreement.objects.filter(government=government, archived_at__isnull=True)
        .filter(implementing_q(today))
        .select_related("lead_agency")
        .order_by("number")
    )

    def photo(seed: int) -> SimpleUploadedFile:
        image = Image.new("RGB", (320, 240), (40 + seed * 30 % 200, 120, 80))
        for x in range(0, 320, 16):  # a little texture, so thumbnails are not flat
            for y in range(0, 240, 16):
                image.putpixel((x, y), (255, 255, 255))
        exif = Image.Exif()
        exif[0x0132] = (today - datetime.timedelta(days=20 + seed)).strftime("%Y:%m:%d 09:15:00")
        exif[0x8825] = {1: "S", 2: (5.0, 29.0, float(10 + seed)), 3: "E", 4: (105.0, 5.0, float(20 + seed))}
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=70, exif=exif)
        return SimpleUploadedFile(f"kegiatan-{seed}.jpg", buffer.getvalue(), content_type="image/jpeg")

    def pdf(title: str) -> SimpleUploadedFile:
        body = f"BT /F1 12 Tf 72 720 Td ({title}) Tj ET".encode()
        data = (
            b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>endobj\n"
            + f"4 0 obj<</Length {len(body)}>>stream\n".encode()
            + body
            + b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
        )
        return SimpleUploadedFile("berita-acara.pdf", data, content_type="application/pdf")

    for index, agreement in enumerate(agreements):
        officer = officers.get(agreement.lead_agency_id) or _field_officer(government, agreement.lead_agency, officers)
        profile = ("healthy", "off_track", "healthy", "dormant", "paper_only", "healthy")[index % 6]
        if profile == "paper_only":
            continue  # signed, and nothing ever happened: the dashboard must show it
        first = monitoring.obligation_create(
            actor=officer,
            agreement=agreement,
            fields={"description": "Menyusun rencana kerja tahunan bersama mitra", "agency": agreement.lead_agency},
        )
        second = monitoring.obligation_create(
            actor=officer,
            agreement=agreement,
            fields={"description": "Melaksanakan kegiatan lapangan sesuai rencana kerja", "weight": 2},
        )
        monitoring.obligation_create(
            actor=officer,
            agreement=agreement,
            fields={"description": "Menyediakan tenaga ahli dan sarana pendukung", "party": "partner"},
        )
        villages = monitoring.indicator_create(
            actor=officer,
            agreement=agreement,
            fields={
                "name": "Desa sasaran yang terlayani",
                "indicator_type": "output",
                "unit": "desa",
                "baseline_value": 0,
                "baseline_year": agreement.signed_on.year,
                "target_value": 24,
                "obligation": second,
                "rpjmd_code": "IKD 3.2.1",
            },
        )
        satisfaction = monitoring.indicator_create(
            actor=officer,
            agreement=agreement,
            fields={
                "name": "Warga penerima manfaat yang puas",
                "indicator_type": "outcome",
                "measure": "percent",
                "unit": "%",
                "baseline_value": 40,
                "target_value": 85,
            },
        )
        line = monitoring.budget_line_create(
            actor=officer,
            agreement=agreement,
            fields={
                "description": "Belanja kegiatan lapangan",
                "party": "ours",
                "source": "apbd",
                "planned": agreement.value or Decimal(250_000_000),
            },
        )
        partner_line = monitoring.budget_line_create(
            actor=officer,
            agreement=agreement,
            fields={
                "description": "Kontribusi mitra",
                "party": "partner",
                "source": "partner",
                "planned": Decimal(100_000_000),
            },
        )
        start = agreement.start_date
        due = last_due_period(today)
        periods = [p for p in periods_between(start, due.ends_on) if p.ends_on <= due.ends_on][-3:]
        if profile == "dormant":
            periods = periods[:1]
        elapsed_share = (
            Decimal(1)
            if not agreement.ends_on
            else min(
                Decimal(1), Decimal((due.ends_on - start).days) / Decimal(max((agreement.ends_on - start).days, 1))
            )
        )
        for number, period in enumerate(periods, start=1):
            share = elapsed_share * number / len(periods)
            done = 24 * share * (Decimal("0.5") if profile == "off_track" else Decimal("1.05"))
            report = monitoring.report_start(actor=officer, agreement=agreement, period=period)
            monitoring.report_save(
                actor=officer,
                report=report,
                summary=f"Kegiatan {period.label} berjalan di {int(done)} desa sasaran.",
                problems="Akses jalan ke desa pesisir terbatas pada musim hujan." if number == 1 else "",
                follow_up="Jadwal kunjungan disesuaikan dengan kalender musim." if number == 1 else "",
                indicator_values={
                    villages.pk: min(Decimal(24), done.quantize(Decimal(1))),
                    satisfaction.pk: Decimal(55 + 8 * number) if profile != "off_track" else Decimal(42),
                },
                obligation_updates={
                    first.pk: ("met", period.starts_on + datetime.timedelta(days=30)),
                    second.pk: ("partly_met", period.ends_on - datetime.timedelta(days=10)),
                },
                realisations={
                    line.pk: (line.planned * share * Decimal("0.8")).quantize(Decimal(1)),
                    partner_line.pk: Decimal(30_000_000) * number,
                },
                beneficiaries=[
                    monitoring.BeneficiaryInput("general", 300 * number + index * 20, "Daftar hadir kegiatan"),
                    monitoring.BeneficiaryInput("women", 120 * number, "Daftar hadir, dipilah menurut jenis kelamin"),
                ],
            )
            monitoring.evidence_add(
                actor=officer,
                agreement=agreement,
                report=report,
                caption=f"Kegiatan lapangan {period.label}",
                upload=photo(index * 3 + number),
                is_public=agreement.is_public,
            )
            if number == 1:
                monitoring.evidence_add(
                    actor=officer,
                    agreement=agreement,
                    report=report,
                    caption="Berita acara kegiatan",
                    upload=pdf(agreement.title[:40]),
                )
            monitoring.report_submit(actor=officer, report=report)
            monitoring.report_verify(actor=admin, report=report)
            moment = timezone.make_aware(
                datetime.datetime.combine(period.due_on - datetime.timedelta(days=5), datetime.time(10))
            )
            if profile == "dormant":
                moment -= datetime.timedelta(days=settings.MONITORING_DORMANT_DAYS)
            # History: the reports were submitted and verified when they were due, not today.
            ProgressReport.objects.filter(pk=report.pk).update(submitted_at=moment, verified_at=moment)
            report.evidence.update(created_at=moment, verified_at=moment)
        if profile == "healthy" and periods:
            evaluation = monitoring.evaluation_record(
                actor=admin,
                agreement=agreement,
                fields={
                    "period": str(periods[-1].ends_on.year),
                    "effectiveness": 4,
                    "effectiveness_note": "Sebagian besar desa sasaran telah terlayani sesuai rencana kerja.",
                    "efficiency": 3,
                    "efficiency_note": "Realisasi anggaran sejalan dengan kemajuan fisik.",
                    "benefit": 4,
                    "benefit_note": "Warga desa pesisir merasakan layanan yang sebelumnya tidak tersedia.",
                    "compliance": 5,
                    "compliance_note": "Laporan kemajuan disampaikan tepat waktu dan lengkap.",
                    "recommendation": "continue",
                    "conclusion": "Kerja sama dilanjutkan dengan perluasan ke desa sasaran berikutnya.",
                },
            )
            if agreement.is_public:
                monitoring.evaluation_publish(actor=admin, evaluation=evaluation)


def _field_officer(government: Government, agency: Agency, officers: dict) -> User:
    """The liaison officer who reports for an agency that has no demo login (no password: not for signing in)."""
    slug = re.sub(r"[^a-z0-9]+", "", (agency.short_name or agency.name).lower())[:20]
    user = User.objects.filter(username=f"opd.{slug}").first()
    if user is None:
        user = User.objects.create_user(
            f"opd.{slug}",
            f"{slug}.pesawaran@example.go.id",
            None,
            first_name="Petugas",
            last_name=agency.short_name or agency.name,
            role=Role.OPD_OFFICER,
            government=government,
            agency=agency,
            title=f"Pengelola Kerja Sama, {agency.name}",
        )
    officers[agency.pk] = user
    return user


# Workflow ------------------------------------------------------------------------------------


def build_workflow_demo(today: datetime.date, tally: Tally) -> None:
    """A few proposals of Pesawaran at different stages (one overdue, one with a draft and a
    TKKSD comment), so the work queue, the panel and the reminders have something to show.
    Idempotent: a proposal is matched by its title."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jalin.agreements.services import PartyInput
    from jalin.workflow import services as workflow_services
    from jalin.workflow import stages as workflow_stages
    from jalin.workflow.drafts import draft_generate
    from jalin.workflow.models import Process, Recommendation, Stage

    admin = User.objects.filter(username="admin").first()
    officer = User.objects.filter(username="opd.dinkes").first()
    reviewer = User.objects.filter(username="tkksd").first()
    if not (admin and officer and reviewer and officer.agency_id):
        return
    partner = Partner.objects.filter(government_id=admin.government_id, archived_at__isnull=True).order_by("pk").first()
    if partner is None:
        return
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    specs = [
        ("Usulan telemedisin puskesmas pesisir", Stage.INITIATION),
        ("Usulan beasiswa tenaga kesehatan", Stage.TKKSD_ASSESSMENT),
        ("Usulan pengelolaan limbah medis terpadu", Stage.UMBRELLA_DRAFTING),
    ]
    for title, stage in specs:
        if Process.objects.filter(agreement__government_id=admin.government_id, agreement__title=title).exists():
            tally.count("agreements", created=False)
            continue
        tally.count("agreements", created=True)
        process = workflow_services.proposal_create(
            actor=admin,
            fields={
                "category": Category.KSDPK,
                "title": title,
                "object": title.replace("Usulan ", "").capitalize(),
                "intended_benefits": "Layanan kesehatan lebih dekat dengan warga",
                "lead_agency": officer.agency,
                "liaison_officer": officer,
                "financing": Financing.APBD,
            },
            parties=[PartyInput(partner=partner)],
            attachments={
                "feasibility": SimpleUploadedFile("kajian-kelayakan.pdf", pdf, content_type="application/pdf"),
                "terms_of_reference": SimpleUploadedFile("kak.pdf", pdf, content_type="application/pdf"),
            },
            burdens_citizens=False,
            funding_in_current_apbd=True,
            today=today,
        )
        if stage == Stage.INITIATION:
            continue
        start = today - datetime.timedelta(days=20)  # so the TKKSD step is overdue
        workflow_services.transition_apply(actor=admin, process=process, name=workflow_stages.SUBMIT, today=start)
        if stage == Stage.TKKSD_ASSESSMENT:
            continue
        workflow_services.transition_apply(
            actor=admin,
            process=process,
            name=workflow_stages.RECOMMEND,
            data={"recommendation": Recommendation.RECOMMENDED},
            today=today,
        )
        workflow_services.transition_apply(actor=admin, process=process, name=workflow_stages.ACCEPT_OFFER, today=today)
        draft = draft_generate(actor=admin, process=process)
        workflow_services.comment_add(
            actor=reviewer, process=process, body="Pasal hak dan kewajiban perlu dirinci per pihak.", draft=draft
        )
