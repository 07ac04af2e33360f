import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    KSDD_MANDATORY = "ksdd_wajib", _("KSDD (mandatory)")
    KSDD_VOLUNTARY = "ksdd_sukarela", _("KSDD (voluntary)")
    KSDPK = "ksdpk", _("KSDPK (with a third party)")
    SYNERGY = "sinergi", _("Synergy with central government")
    KSDPL = "ksdpl", _("KSDPL (foreign local government)")
    KSDLL = "ksdll", _("KSDLL (foreign institution)")


class Kind(models.TextChoices):
    KSB = "ksb", _("Joint agreement (KSB)")
    PKS = "pks", _("Cooperation agreement (PKS)")
    NK = "nk", _("Memorandum of agreement (NK)")
    RK = "rk", _("Work plan (RK)")
    LOI = "loi", _("Letter of intent (LoI)")
    MOU = "mou", _("Memorandum of understanding (MoU)")
    ADDENDUM = "addendum", _("Addendum")


# A KSB / NK / MoU is the umbrella under which PKS / RK are signed.
UMBRELLA_KINDS = (Kind.KSB, Kind.NK, Kind.MOU)
IMPLEMENTING_KINDS = (Kind.PKS, Kind.RK)


class Financing(models.TextChoices):
    NONE = "none", _("No financing")
    APBD = "apbd", _("Regional budget (APBD)")
    PARTNER = "partner", _("Partner")
    SHARED = "shared", _("Shared")


class TerminationGround(models.TextChoices):
    AGREED = "agreed", _("Agreed by the parties")
    OBJECTIVE_ACHIEVED = "objective_achieved", _("Objective achieved")
    FORCE_MAJEURE = "force_majeure", _("Force majeure")
    BREACH = "breach", _("Breach by a party")
    REPLACED = "replaced", _("Replaced by a new agreement")
    NEW_LEGAL_NORM = "new_legal_norm", _("New legal norm")
    OBJECT_LOST = "object_lost", _("Object of cooperation lost")
    NATIONAL_INTEREST = "national_interest", _("National interest")
    TERM_EXPIRED = "term_expired", _("Term expired")


class Status(models.TextChoices):
    """Derived from dates and lifecycle, never typed in."""

    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    EXPIRING = "expiring", _("Expiring")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")
    ARCHIVED = "archived", _("Archived")


def _expiring_horizon(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=settings.EXPIRING_WITHIN_DAYS)


def status_q(status: str, today: datetime.date) -> Q:
    """The condition that selects agreements with the given derived status on `today`."""
    live = Q(archived_at__isnull=True)
    in_force = live & Q(terminated_on__isnull=True) & Q(signed_on__isnull=False)
    horizon = _expiring_horizon(today)
    return {
        Status.ARCHIVED: Q(archived_at__isnull=False),
        Status.TERMINATED: live & Q(terminated_on__isnull=False),
        Status.DRAFT: live & Q(terminated_on__isnull=True, signed_on__isnull=True),
        Status.EXPIRED: in_force & Q(ends_on__lt=today),
        Status.EXPIRING: in_force & Q(ends_on__gte=today, ends_on__lte=horizon),
        Status.ACTIVE: in_force & (Q(ends_on__isnull=True) | Q(ends_on__gt=horizon)),
    }[Status(status)]


class AgreementQuerySet(models.QuerySet):
    def live(self):
        return self.filter(archived_at__isnull=True)

    def with_status(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.annotate(
            derived_status=Case(
                *(When(status_q(status, today), then=Value(status.value)) for status in Status),
                output_field=models.CharField(),
            )
        )

    def in_status(self, status: str, today: datetime.date | None = None):
        return self.filter(status_q(status, today or timezone.localdate()))

    def expiring_within(self, days: int, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.filter(
            status_q(Status.ACTIVE, today) | status_q(Status.EXPIRING, today),
            ends_on__gte=today,
            ends_on__lte=today + datetime.timedelta(days=days),
        )


class Agreement(models.Model):
    """A cooperation agreement (naskah kerja sama) owned by one government."""

    government = models.ForeignKey(
        "governments.Government",
        verbose_name=_("government"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    kind = models.CharField(_("document kind"), max_length=16, choices=Kind.choices)
    number = models.CharField(
        _("our number"), max_length=120, blank=True, help_text=_("The number our government gave the document.")
    )
    title = models.CharField(_("title"), max_length=500)
    object = models.TextField(_("object of cooperation"), blank=True)
    scope = models.TextField(_("scope"), blank=True)
    affairs = models.ManyToManyField(
        "governments.Affair", verbose_name=_("government affairs"), blank=True, related_name="agreements"
    )
    partners = models.ManyToManyField(
        "partners.Partner",
        verbose_name=_("partners"),
        through="AgreementParty",
        related_name="agreements",
    )
    our_signatory_name = models.CharField(_("our signatory"), max_length=200, blank=True)
    our_signatory_title = models.CharField(_("our signatory's position"), max_length=200, blank=True)
    power_of_attorney_ref = models.CharField(
        _("power of attorney reference"),
        max_length=200,
        blank=True,
        help_text=_("When an official signs on behalf of the head of region."),
    )
    lead_agency = models.ForeignKey(
        "governments.Agency",
        verbose_name=_("lead agency"),
        on_delete=models.PROTECT,
        related_name="led_agreements",
    )
    supporting_agencies = models.ManyToManyField(
        "governments.Agency",
        verbose_name=_("supporting agencies"),
        blank=True,
        related_name="supported_agreements",
    )
    liaison_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaison officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="liaison_agreements",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The KSB, NK or MoU a PKS or RK implements, or the agreement an addendum amends."),
    )
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("renewal of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewals",
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    effective_on = models.DateField(_("effective from"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    longer_term_basis = models.TextField(
        _("legal basis for a longer term"),
        blank=True,
        help_text=_("Required when a PKS runs longer than five years."),
    )
    financing = models.CharField(_("financing"), max_length=16, choices=Financing.choices, default=Financing.NONE)
    value = models.DecimalField(_("value (Rp)"), max_digits=18, decimal_places=2, null=True, blank=True)
    dprd_approval_ref = models.CharField(_("DPRD approval reference"), max_length=200, blank=True)
    central_approval_ref = models.CharField(_("central government approval reference"), max_length=200, blank=True)
    intended_benefits = models.TextField(_("intended benefits"), blank=True)
    is_public = models.BooleanField(_("published"), default=False)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_ground = models.CharField(
        _("termination ground"), max_length=24, choices=TerminationGround.choices, blank=True
    )
    termination_note = models.TextField(_("termination note"), blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    archive_reason = models.TextField(_("reason for archiving"), blank=True)
    restore_reason = models.TextField(_("reason for restoring"), blank=True)
    search_text = models.TextField(editable=False, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.UniqueConstraint(
                fields=["government", "number"],
                condition=~Q(number=""),
                name="agreement_unique_number_per_government",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(effective_on__isnull=True) | Q(ends_on__gt=F("effective_on")),
                name="agreement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="agreement_value_not_negative"
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="agreement_not_own_parent"),
        ]
        indexes = [
            models.Index(fields=["government", "-signed_on", "-id"], name="agreement_gov_signed"),
            models.Index(fields=["government", "ends_on"], name="agreement_gov_ends"),
            models.Index(fields=["government", "category"], name="agreement_gov_category"),
            models.Index(fields=["government", "kind"], name="agreement_gov_kind"),
            models.Index(fields=["lead_agency", "-signed_on"], name="agreement_lead_signed"),
            # A supervisor's list spans hundreds of governments: newest first across all of them.
            models.Index(
                fields=["-signed_on", "-id"], name="agreement_live_signed", condition=Q(archived_at__isnull=True)
            ),
            models.Index(fields=["ends_on"], name="agreement_live_ends", condition=Q(archived_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.title

    def audit_scope(self) -> dict:
        return {"government_id": self.government_id, "agreement_id": self.pk}

    @property
    def start_date(self) -> datetime.date | None:
        return self.effective_on or self.signed_on

    def get_status(self, today: datetime.date | None = None) -> Status:
        today = today or timezone.localdate()
        if self.archived_at:
            return Status.ARCHIVED
        if self.terminated_on:
            return Status.TERMINATED
        if not self.signed_on:
            return Status.DRAFT
        if self.ends_on and self.ends_on < today:
            return Status.EXPIRED
        if self.ends_on and self.ends_on <= _expiring_horizon(today):
            return Status.EXPIRING
        return Status.ACTIVE

    @property
    def status(self) -> Status:
        derived = getattr(self, "derived_status", None)
        return Status(derived) if derived else self.get_status()

    @property
    def days_left(self) -> int | None:
        if not self.ends_on:
            return None
        return (self.ends_on - timezone.localdate()).days

    def build_search_text(self, partner_names: list[str]) -> str:
        parts = [self.number, self.title, self.object, self.scope, self.intended_benefits, *partner_names]
        return " ".join(part for part in parts if part).lower()


class AgreementParty(models.Model):
    """A partner's side of an agreement: its own document number and its signatory."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("partner"), on_delete=models.PROTECT, related_name="parties"
    )
    party_number = models.CharField(_("partner's number"), max_length=120, blank=True)
    signatory_name = models.CharField(_("partner's signatory"), max_length=200, blank=True)
    signatory_title = models.CharField(_("partner's signatory position"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "partner"], name="party_once_per_agreement"),
            models.UniqueConstraint(
                fields=["partner", "party_number"],
                condition=~Q(party_number=""),
                name="party_unique_number_per_partner",
            ),
        ]

    def __str__(self) -> str:
        return str(self.partner)

    def audit_scope(self) -> dict:
        # The agreement is already loaded wherever parties are written (the service passes it,
        # and agreement.parties.all() sets it), so this costs no query.
        return {"government_id": self.agreement.government_id, "agreement_id": self.agreement_id}
