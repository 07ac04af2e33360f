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
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalin.accounts.models import Role, User
from jalin.agreements import services as agreement_services
from jalin.agreements.models import Agreement
from jalin.audit.context import acting_as
from jalin.demo.lampung_selatan import LAMPUNG_SELATAN
from jalin.demo.monitoring import build_monitoring_demo
from jalin.demo.pesawaran import PESAWARAN
from jalin.demo.specs import (
    _EMAIL_DOMAINS,
    DEFAULT_SEED,
    DEMO_PASSWORD,
    KIND_CODES,
    SUPERUSER,
    AgencySpec,
    DemoError,
    GovernmentDemo,
    PartnerSpec,
    Tally,
    UserSpec,
)
from jalin.demo.workflow import build_workflow_demo
from jalin.governments import services as government_services
from jalin.governments.models import Affair, Agency, Government
from jalin.partners import services as partner_services
from jalin.partners.models import Partner, PartnerType

DEMOS = (PESAWARAN, LAMPUNG_SELATAN)

SUPERUSER_TRY = gettext_lazy("Django admin at /django-admin/: reference data (governments, affairs) and users.")


# Building ---------------------------------------------------------------------------------


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
