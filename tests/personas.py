"""The people and the world every test talks about, defined once.

Pesawaran (18.09) is the home government. Alice is its admin; Oscar is an OPD officer in
the Health agency (Dinkes) and Olga one in Tourism (Dispar); Lena is the leader, Audrey
the auditor, Tara a TKKSD reviewer. Sam is the admin of another government (Lampung
Selatan, 18.01). Vera supervises from the province (Lampung, 18). Anonymous visitors have
no account.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from jalin.accounts.models import Role, User
from jalin.agreements.models import Agreement, Category, Kind
from jalin.agreements.services import PartyInput, agreement_create
from jalin.governments.models import Affair, Agency, Government
from jalin.partners.models import Partner, PartnerType, normalise_name

PASSWORD = "a-long-test-password-2026"


@dataclass
class World:
    national: Government
    province: Government
    pesawaran: Government
    lamsel: Government
    dinkes: Agency
    dispar: Agency
    lamsel_agency: Agency
    alice: User  # admin, Pesawaran
    oscar: User  # OPD officer, Dinkes
    olga: User  # OPD officer, Dispar
    lena: User  # leader
    audrey: User  # auditor
    tara: User  # TKKSD reviewer
    sam: User  # admin, Lampung Selatan
    vera: User  # supervisor, Provinsi Lampung
    unila: Partner
    bank: Partner
    lamsel_partner: Partner
    ksb: Agreement  # Dinkes leads, not public
    pks: Agreement  # under the KSB, Dinkes leads
    tourism: Agreement  # Dispar leads, not public
    published: Agreement  # Dispar leads, public
    lamsel_agreement: Agreement


def _user(username, government, role, agency=None, **extra) -> User:
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.go.id",
        first_name=username.capitalize(),
        government=government,
        role=role,
        agency=agency,
        **extra,
    )


def _partner(government, name, partner_type, **extra) -> Partner:
    return Partner.objects.create(
        government=government, name=name, normalised_name=normalise_name(name), partner_type=partner_type, **extra
    )


def agreement(actor, title, lead, partners, **fields) -> Agreement:
    today = timezone.localdate()
    defaults = {
        "category": Category.KSDPK,
        "kind": Kind.PKS,
        "title": title,
        "lead_agency": lead,
        "signed_on": today - datetime.timedelta(days=400),
        "effective_on": today - datetime.timedelta(days=400),
        "ends_on": today + datetime.timedelta(days=700),
    }
    defaults.update(fields)
    supporting = defaults.pop("supporting_agencies", [])
    return agreement_create(
        actor=actor,
        fields=defaults,
        parties=[PartyInput(partner=partner) for partner in partners],
        supporting_agencies=supporting,
    )


def build_world() -> World:
    national = Government.objects.create(code="00", name="Pemerintah Pusat", level=Government.Level.NATIONAL)
    province = Government.objects.create(code="18", name="Provinsi Lampung", level="province", parent=national)
    pesawaran = Government.objects.create(code="18.09", name="Kabupaten Pesawaran", level="regency", parent=province)
    lamsel = Government.objects.create(code="18.01", name="Kabupaten Lampung Selatan", level="regency", parent=province)
    Affair.objects.get_or_create(code="1.02", defaults={"name": "Kesehatan", "group": "basic"})
    dinkes = Agency.objects.create(government=pesawaran, name="Dinas Kesehatan", short_name="Dinkes")
    dispar = Agency.objects.create(government=pesawaran, name="Dinas Pariwisata", short_name="Dispar")
    lamsel_agency = Agency.objects.create(government=lamsel, name="Dinas Kesehatan Lampung Selatan")
    alice = _user("alice", pesawaran, Role.ADMIN)
    oscar = _user("oscar", pesawaran, Role.OPD_OFFICER, dinkes)
    olga = _user("olga", pesawaran, Role.OPD_OFFICER, dispar)
    lena = _user("lena", pesawaran, Role.LEADER)
    audrey = _user("audrey", pesawaran, Role.AUDITOR)
    tara = _user("tara", pesawaran, Role.TKKSD_REVIEWER)
    sam = _user("sam", lamsel, Role.ADMIN)
    vera = _user("vera", province, Role.SUPERVISOR)
    unila = _partner(pesawaran, "Universitas Lampung", PartnerType.UNIVERSITY)
    bank = _partner(pesawaran, "PT Bank Lampung", PartnerType.BANK, tax_number="012345678901234")
    lamsel_partner = _partner(lamsel, "Universitas Malahayati", PartnerType.UNIVERSITY)
    today = timezone.localdate()
    ksb = agreement(
        alice,
        "Kesepakatan bersama bidang kesehatan",
        dinkes,
        [unila],
        kind=Kind.KSB,
        number="180/1/KSB/2024",
        ends_on=today + datetime.timedelta(days=1500),
    )
    pks = agreement(alice, "PKS layanan kesehatan keliling", dinkes, [unila], parent=ksb, number="180/2/PKS/2024")
    tourism = agreement(alice, "PKS promosi wisata pantai", dispar, [bank], number="556/3/PKS/2024")
    published = agreement(alice, "PKS desa wisata Pahawang", dispar, [bank], number="556/4/PKS/2024", is_public=True)
    lamsel_agreement = agreement(sam, "PKS Lampung Selatan", lamsel_agency, [lamsel_partner], number="LS/1/2024")
    return World(**{name: value for name, value in locals().items() if name in World.__dataclass_fields__})
