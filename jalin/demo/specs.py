"""The shapes of the demo data (agencies, partners, agreements, users per government) and its constants."""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from jalin.agreements.models import Financing, Kind
from jalin.partners.models import PartnerType

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
