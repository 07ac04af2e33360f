"""Scale data: every government of the reference data with a register of its own.

Used by `seed_demo --scale small|national` to measure Jalin at the size of a province or
of the ministry (see bench/). Unlike the demo, this bypasses the services: rows are
bulk-inserted in batches (millions of rows must load in minutes, not hours), and the audit
trail gets one "created" entry per agreement written in bulk too. Everything is
deterministic from the seed.

A government that already has scale data (agreement numbers starting with `NAT/`) is
skipped, so the command is idempotent and can be resumed after an interruption: each
government is written in its own transaction. The monitoring data of its agreements in
implementation (national_monitoring.py) is written in the same transaction; a government
seeded before that existed gets it on the next run.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from jalin.accounts.models import Role, User
from jalin.agreements.models import Agreement, AgreementParty, Category, Financing, Kind
from jalin.audit.models import AuditEntry
from jalin.demo import scale_monitoring as national_monitoring
from jalin.documents.models import Document, DocumentKind
from jalin.governments.models import Affair, Agency, Government
from jalin.partners.models import Partner, PartnerType, normalise_name

NUMBER_PREFIX = "NAT/"
BENCH_PASSWORD = "jalin-bench-2026"


@dataclass(frozen=True)
class Scale:
    name: str
    government_codes: Callable[[], list[str]]  # which governments get data
    agreements_per_government: int
    agencies_per_government: int = 12
    partners_per_government: int = 25


def _all_codes() -> list[str]:
    return list(
        Government.objects.exclude(level=Government.Level.NATIONAL).order_by("code").values_list("code", flat=True)
    )


def _lampung_codes() -> list[str]:
    return list(Government.objects.filter(code__startswith="18").order_by("code").values_list("code", flat=True))


# ~552 governments x 180 = ~99,000 agreements; Lampung: 16 x 120 = ~1,900.
SCALES = {
    "national": Scale("national", _all_codes, agreements_per_government=180),
    "small": Scale("small", _lampung_codes, agreements_per_government=120),
}

_AGENCY_NAMES = [
    ("Dinas Pendidikan", "Disdik"),
    ("Dinas Kesehatan", "Dinkes"),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR"),
    ("Dinas Pariwisata", "Dispar"),
    ("Dinas Pertanian", "Distan"),
    ("Dinas Kelautan dan Perikanan", "DKP"),
    ("Dinas Komunikasi dan Informatika", "Diskominfo"),
    ("Dinas Penanaman Modal dan PTSP", "DPMPTSP"),
    ("Dinas Lingkungan Hidup", "DLH"),
    ("Dinas Sosial", "Dinsos"),
    ("Dinas Perhubungan", "Dishub"),
    ("Badan Perencanaan Pembangunan Daerah", "Bappeda"),
    ("Dinas Koperasi dan UKM", "Diskop"),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD"),
    ("Bagian Kerja Sama Sekretariat Daerah", "Bag. KS"),
]
_PARTNER_STEMS = {
    PartnerType.UNIVERSITY: ["Universitas {c}", "Politeknik Negeri {c}", "Institut Teknologi {c}"],
    PartnerType.BUMN: ["PT Perusahaan Listrik Negara UP3 {c}", "PT Telkom Witel {c}", "PT Pos Indonesia KC {c}"],
    PartnerType.BUMD: ["PDAM Tirta {c}", "PT Jamkrida {c}"],
    PartnerType.BANK: ["PT Bank Pembangunan Daerah {c}", "PT Bank Rakyat Indonesia Cabang {c}"],
    PartnerType.PRIVATE: ["PT {c} Agro Lestari", "PT {c} Digital Nusantara", "CV {c} Konstruksi"],
    PartnerType.NGO: ["Yayasan Peduli {c}", "Perkumpulan Petani {c}"],
    PartnerType.MINISTRY: ["Kementerian Desa PDTT", "Badan Pusat Statistik", "Kementerian Pertanian"],
    PartnerType.FOREIGN_GOVERNMENT: ["Kota Kembar {c} (Jepang)", "Provinsi Mitra {c} (Korea)"],
    PartnerType.FOREIGN_INSTITUTION: ["Yayasan Internasional {c}", "Lembaga Donor {c}"],
    PartnerType.INDIVIDUAL: ["Dr. Ahli {c}"],
}
_TOPICS = [
    "penyediaan air minum",
    "pengelolaan sampah terpadu",
    "pengembangan desa wisata",
    "layanan kesehatan keliling",
    "beasiswa pendidikan tinggi",
    "penelitian dan pengabdian masyarakat",
    "penyaluran kredit usaha rakyat",
    "penerangan jalan umum",
    "sistem pemerintahan berbasis elektronik",
    "pemberdayaan nelayan",
    "peningkatan produksi padi",
    "pengembangan UMKM",
    "pelatihan tenaga kerja",
    "pengelolaan kawasan hutan",
    "transportasi antardaerah",
]
_KIND_CODE = {
    Kind.KSB: "KSB",
    Kind.PKS: "PKS",
    Kind.NK: "NK",
    Kind.RK: "RK",
    Kind.LOI: "LOI",
    Kind.MOU: "MOU",
    Kind.ADDENDUM: "ADD",
}


@dataclass
class Progress:
    governments: int = 0
    skipped: int = 0
    agreements: int = 0
    parties: int = 0
    documents: int = 0
    audit_entries: int = 0
    monitoring: national_monitoring.Tally = field(default_factory=national_monitoring.Tally)

    @property
    def progress_entries(self) -> int:
        """The rows of the progress trail: reports with their values, obligation updates,
        beneficiaries and budget realisations."""
        m = self.monitoring
        return m.reports + m.indicator_values + m.obligation_updates + m.beneficiaries + m.budget_realisations

    def add(self, tally: national_monitoring.Tally) -> None:
        for name in vars(tally):
            setattr(self.monitoring, name, getattr(self.monitoring, name) + getattr(tally, name))
        self.audit_entries += tally.audit_entries


def build_scale(scale_name: str, *, seed: int, today: datetime.date | None = None, report=print) -> Progress:
    scale = SCALES[scale_name]
    today = today or timezone.localdate()
    affairs = list(Affair.objects.order_by("code").values_list("pk", flat=True))
    if not affairs:
        raise RuntimeError("Run load_reference_data first.")
    codes = scale.government_codes()
    scale_agreements = Agreement.objects.filter(number__startswith=NUMBER_PREFIX)
    done = set(scale_agreements.values_list("government__code", flat=True).distinct())
    monitored = national_monitoring.monitored_government_codes(scale_agreements)
    password = make_password(BENCH_PASSWORD)
    agreement_type = ContentType.objects.get_for_model(Agreement)
    progress = Progress()
    for index, code in enumerate(codes, start=1):
        if code in done and code in monitored:
            progress.skipped += 1
            continue
        government = Government.objects.get(code=code)
        rng = random.Random(f"{seed}:{code}")  # noqa: S311 - deterministic test data, not security
        with transaction.atomic():
            if code not in done:
                _build_government(government, scale, rng, today, affairs, password, agreement_type, progress)
            admin, officers = _bench_users(government)
            tally = national_monitoring.build_monitoring(
                government,
                scale_agreements.filter(government=government),
                admin=admin,
                officers=officers,
                seed=seed,
                today=today,
            )
            progress.add(tally)
        if code in done and not tally.obligations:
            progress.skipped += 1  # no agreement in implementation: nothing to monitor
        else:
            progress.governments += 1
        if index % 25 == 0 or index == len(codes):
            m = progress.monitoring
            report(
                f"{index}/{len(codes)} governments · {progress.agreements:,} agreements · "
                f"{progress.parties:,} parties · {progress.documents:,} documents · "
                f"{m.obligations:,} obligations · {m.indicators:,} indicators · {m.indicator_periods:,} indicator periods · "
                f"{m.reports:,} reports · {progress.progress_entries:,} progress entries · "
                f"{progress.audit_entries:,} audit entries"
            )
    if progress.governments and connection.vendor == "postgresql":
        # Fresh planner statistics: without them (autovacuum may lag behind a bulk load, or be
        # off), PostgreSQL plans the health signals' subqueries as if the tables were empty.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return progress


def _bench_users(government) -> tuple[User, list[User]]:
    """The government's admin and agency officers made by _build_government."""
    slug = government.code.replace(".", "")
    admin = User.objects.get(username=f"bench.admin.{slug}")
    officers = list(
        User.objects.filter(government=government, username__startswith=f"bench.opd.{slug}.").order_by("pk")
    )
    return admin, officers


def _build_government(government, scale, rng, today, affairs, password, agreement_type, progress) -> None:
    """One government's scale data, bulk-inserted: staff, partners, a register with lineage,
    its links, signed-document rows and one audit entry per agreement. The random draws come
    in a fixed order, so the data is the same for the same seed."""
    agencies, admin, officers = _staff(government, scale, password)
    partners = _partners(government, scale)
    everything, parties = _register(government, scale, rng, today, agencies, officers, partners, admin)
    _links(everything, agencies, affairs, rng)
    documents = _signed_documents(everything, rng, admin)
    _audit_entries(everything, government, admin, agreement_type)
    progress.agreements += len(everything)
    progress.parties += len(parties)
    progress.documents += len(documents)
    progress.audit_entries += len(everything)


def _staff(government, scale, password) -> tuple[list[Agency], User, list[User]]:
    """The government's agencies, its admin and an officer for each of four agencies."""
    slug = government.code.replace(".", "")
    Agency.objects.bulk_create(
        [
            Agency(government=government, name=name, short_name=short, head_name=f"Kepala {short} {government.code}")
            for name, short in _AGENCY_NAMES[: scale.agencies_per_government]
        ],
        ignore_conflicts=True,
    )
    agencies = list(Agency.objects.filter(government=government).order_by("pk"))
    admin, _created = User.objects.get_or_create(
        username=f"bench.admin.{slug}",
        defaults={"government": government, "role": Role.ADMIN, "password": password, "first_name": "Admin"},
    )
    officers = []
    for agency in agencies[:4]:
        officer, _created = User.objects.get_or_create(
            username=f"bench.opd.{slug}.{agency.pk}",
            defaults={"government": government, "role": Role.OPD_OFFICER, "agency": agency, "password": password},
        )
        officers.append(officer)
    return agencies, admin, officers


def _partners(government, scale) -> list[Partner]:
    """Partners of every type, named after the government's city."""
    city = government.name.replace("Kabupaten ", "").replace("Kota ", "").replace("Provinsi ", "")
    partners = []
    types = list(_PARTNER_STEMS)
    for number in range(scale.partners_per_government):
        partner_type = types[number % len(types)]
        stems = _PARTNER_STEMS[partner_type]
        name = stems[(number // len(types)) % len(stems)].format(c=city)
        if number >= len(types) * 2:
            name = f"{name} {number}"
        partners.append(
            Partner(
                government=government,
                name=name,
                normalised_name=normalise_name(name),
                partner_type=partner_type,
                country="Indonesia" if not partner_type.startswith("foreign") else "Jepang",
            )
        )
    return Partner.objects.bulk_create(partners)


def _register(government, scale, rng, today, agencies, officers, partners, admin):
    """Umbrella agreements (KSB/NK/MoU), their PKS/RK, addenda, loose agreements and a few
    renewals, with their parties. Returns every agreement and the party rows."""
    total = scale.agreements_per_government
    umbrellas = _agreements(government, rng, today, agencies, officers, partners, admin, total * 3 // 10, "U")
    Agreement.objects.bulk_create(umbrellas)
    parties = _parties(umbrellas, partners, rng)
    children = []
    for child_index in range(total // 2):
        parent = rng.choice(umbrellas)
        kind = Kind.RK if parent.kind == Kind.NK else Kind.PKS
        child = _agreement(government, rng, today, agencies, officers, admin, f"C{child_index}", kind, parent.category)
        child.parent = parent
        child.search_text = f"{child.search_text} {parent._partner_names}"
        child._partner_ids = parent._partner_ids
        children.append(child)
    Agreement.objects.bulk_create(children)
    parties += [
        AgreementParty(agreement=child, partner_id=partner_id, position=position)
        for child in children
        for position, partner_id in enumerate(child._partner_ids)
    ]
    addenda = []
    for addendum_index in range(total // 10):
        parent = rng.choice(children)
        addendum = _agreement(
            government, rng, today, agencies, officers, admin, f"A{addendum_index}", Kind.ADDENDUM, parent.category
        )
        addendum.parent = parent
        addendum._partner_ids = parent._partner_ids
        addenda.append(addendum)
    rest = total - len(umbrellas) - len(children) - len(addenda)
    loose = _agreements(
        government, rng, today, agencies, officers, partners, admin, rest, "L", kinds=(Kind.LOI, Kind.PKS)
    )
    # A few renewals: a loose PKS renews an older one.
    for renewal, predecessor in zip(loose[1::4], children[::9], strict=False):
        if renewal.kind == predecessor.kind:
            renewal.predecessor = predecessor
    Agreement.objects.bulk_create(addenda + loose)
    parties += [
        AgreementParty(agreement=addendum, partner_id=partner_id, position=position)
        for addendum in addenda
        for position, partner_id in enumerate(addendum._partner_ids)
    ]
    parties += _parties(loose, partners, rng)
    AgreementParty.objects.bulk_create(parties, batch_size=2000)

    everything = umbrellas + children + addenda + loose
    return everything, parties


def _links(everything, agencies, affairs, rng) -> None:
    """Supporting agencies for about half the agreements, and one government affair each."""
    Supporting = Agreement.supporting_agencies.through
    Supporting.objects.bulk_create(
        [
            # never the lead agency itself (the services refuse that)
            Supporting(
                agreement_id=agreement.pk,
                agency_id=rng.choice([agency for agency in agencies if agency.pk != agreement.lead_agency_id]).pk,
            )
            for agreement in everything
            if rng.random() < 0.5
        ],
        ignore_conflicts=True,
    )
    Affairs = Agreement.affairs.through
    Affairs.objects.bulk_create(
        [Affairs(agreement_id=agreement.pk, affair_id=rng.choice(affairs)) for agreement in everything],
        ignore_conflicts=True,
    )


def _signed_documents(everything, rng, admin) -> list[Document]:
    """A signed-document row (metadata only, no file) for every signed agreement."""
    documents = [
        Document(
            agreement=agreement,
            kind=DocumentKind.SIGNED,
            title="Naskah bertanda tangan",
            version=1,
            file=f"agreements/{agreement.pk}/scale-data-placeholder",
            original_name=f"{agreement.number.replace('/', '-')}.pdf",
            content_type="application/pdf",
            size=rng.randint(200_000, 4_000_000),
            sha256="0" * 64,
            uploaded_by=admin,
        )
        for agreement in everything
        if agreement.signed_on
    ]
    Document.objects.bulk_create(documents, batch_size=2000)
    return documents


def _audit_entries(everything, government, admin, agreement_type) -> None:
    """One creation entry per agreement, so the government's revision moves as the services would move it."""
    now = timezone.now()
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                content_type=agreement_type,
                object_pk=str(agreement.pk),
                object_id=agreement.pk,
                object_repr=agreement.title[:200],
                action=AuditEntry.Action.CREATE,
                changes={"title": ["None", agreement.title]},
                actor=admin,
                timestamp=now,
                government=government,
                agreement=agreement,
            )
            for agreement in everything
        ],
        batch_size=2000,
    )


def _agreements(government, rng, today, agencies, officers, partners, admin, count, tag, kinds=None) -> list[Agreement]:
    result = []
    for index in range(count):
        kind = rng.choice(kinds or (Kind.KSB, Kind.KSB, Kind.MOU, Kind.NK))
        category = _category_for(kind, rng)
        agreement = _agreement(government, rng, today, agencies, officers, admin, f"{tag}{index}", kind, category)
        chosen = rng.sample(partners, k=1 if rng.random() < 0.85 else 2)
        agreement._partner_ids = [partner.pk for partner in chosen]
        agreement._partner_names = " ".join(partner.name.lower() for partner in chosen)
        agreement.search_text = f"{agreement.search_text} {agreement._partner_names}"
        result.append(agreement)
    return result


def _category_for(kind, rng) -> str:
    if kind == Kind.NK:
        return Category.SYNERGY
    return rng.choices(
        [Category.KSDD_MANDATORY, Category.KSDD_VOLUNTARY, Category.KSDPK, Category.KSDPL, Category.KSDLL],
        weights=[10, 15, 60, 8, 7],
    )[0]


def _agreement(government, rng, today, agencies, officers, admin, tag, kind, category) -> Agreement:
    topic = rng.choice(_TOPICS)
    year_offset = rng.randint(0, 2200)
    signed = today - datetime.timedelta(days=year_offset) if rng.random() > 0.05 else None
    start = signed
    ends = start + datetime.timedelta(days=rng.choice((365, 730, 1095, 1460, 1825))) if start else None
    number = f"{NUMBER_PREFIX}{government.code}/{_KIND_CODE[kind]}/{tag}"
    title = f"{_KIND_CODE[kind]} tentang {topic.capitalize()} di {government.name}"
    lead = rng.choice(agencies)
    value = Decimal(rng.randint(0, 500)) * Decimal(10_000_000) if rng.random() < 0.6 else None
    foreign = category in (Category.KSDPL, Category.KSDLL)
    agreement = Agreement(
        government=government,
        category=category,
        kind=kind,
        number=number,
        title=title,
        object=f"Kerja sama {topic} antara {government.name} dan mitra.",
        lead_agency=lead,
        liaison_officer=rng.choice(officers) if officers and rng.random() < 0.7 else None,
        signed_on=signed,
        effective_on=start,
        ends_on=ends,
        financing=rng.choice(Financing.values) if value else Financing.NONE,
        value=value,
        dprd_approval_ref="DPRD/NAT/1" if foreign and signed else "",
        central_approval_ref="KEMENDAGRI/NAT/1" if foreign and signed else "",
        intended_benefits=f"Meningkatnya {topic} bagi masyarakat.",
        is_public=rng.random() < 0.5,
        created_by=admin,
    )
    agreement.search_text = " ".join([number, title, agreement.object, agreement.intended_benefits, lead.name]).lower()
    agreement._partner_ids = []
    agreement._partner_names = ""
    return agreement


def _parties(agreements, partners, rng) -> list[AgreementParty]:
    return [
        AgreementParty(agreement=agreement, partner_id=partner_id, position=position)
        for agreement in agreements
        for position, partner_id in enumerate(agreement._partner_ids)
    ]
