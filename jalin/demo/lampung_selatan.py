"""Kabupaten Lampung Selatan (18.01): a second government, so that the separation between governments can be seen."""

from django.utils.translation import gettext_lazy

from jalin.accounts.models import Role
from jalin.agreements.models import Category, Kind
from jalin.demo.pesawaran import PESAWARAN
from jalin.demo.specs import AgencySpec, AgreementSpec, GovernmentDemo, PartnerSpec, UserSpec
from jalin.partners.models import PartnerType

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
