"""Workflow state of a cooperation: one Process per proposal, kept beside the Agreement."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jalin.agreements.models import TerminationGround


class Stage(models.TextChoices):
    INITIATION = "initiation", _("Initiation by the agency")
    TKKSD_ASSESSMENT = "tkksd_assessment", _("TKKSD assessment")
    OFFER = "offer", _("Offer to the partner")
    UMBRELLA_DRAFTING = "umbrella_drafting", _("Drafting the agreement")
    UMBRELLA_SIGNED = "umbrella_signed", _("Agreement signed")
    DPRD_APPROVAL = "dprd_approval", _("DPRD approval")
    CENTRAL_APPROVAL = "central_approval", _("Central government approval")
    IMPLEMENTING_DRAFTING = "implementing_drafting", _("Drafting the cooperation agreement")
    IMPLEMENTATION = "implementation", _("Signed, in implementation")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


CLOSED_STAGES = (Stage.IMPLEMENTATION, Stage.REJECTED, Stage.WITHDRAWN)


class Origin(models.TextChoices):
    AGENCY = "agency", _("Initiative of an agency")
    THIRD_PARTY = "third_party", _("Offer from a third party")
    EXTENSION = "extension", _("Extension of an agreement")
    AMENDMENT = "amendment", _("Amendment of an agreement")


class Recommendation(models.TextChoices):
    RECOMMENDED = "recommended", _("Recommended")
    WITH_NOTES = "with_notes", _("Recommended with notes")
    NOT_RECOMMENDED = "not_recommended", _("Not recommended")


class ProcessQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(stage__in=CLOSED_STAGES)


class Process(models.Model):
    """Where one proposal stands. `agreement` is the proposal's own document (a KSB, NK or
    addendum, unsigned until signed through the workflow); `implementing` is the PKS or RK
    drafted under it once the umbrella is signed and approved."""

    government = models.ForeignKey(
        "governments.Government", verbose_name=_("government"), on_delete=models.PROTECT, related_name="+"
    )
    agreement = models.OneToOneField(
        "agreements.Agreement", verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="process"
    )
    implementing = models.OneToOneField(
        "agreements.Agreement",
        verbose_name=_("cooperation agreement (PKS/RK)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="implementing_process",
    )
    origin = models.CharField(_("origin"), max_length=16, choices=Origin.choices, default=Origin.AGENCY)
    stage = models.CharField(_("stage"), max_length=24, choices=Stage.choices, default=Stage.INITIATION)
    entry = models.PositiveIntegerField(_("stage entry"), default=1, help_text=_("Counts the stages entered."))
    stage_entered_on = models.DateField(_("stage entered on"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    burdens_citizens = models.BooleanField(_("the plan burdens citizens"), null=True, blank=True)
    funding_in_current_apbd = models.BooleanField(_("funding is in the current APBD"), null=True, blank=True)
    recommendation = models.CharField(
        _("TKKSD recommendation"), max_length=16, choices=Recommendation.choices, blank=True
    )
    recommendation_note = models.TextField(_("recommendation note"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProcessQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("workflow process")
        verbose_name_plural = _("workflow processes")
        indexes = [
            models.Index(fields=["government", "stage", "due_on"], name="process_gov_stage_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(implementing=models.F("agreement")), name="process_implementing_not_umbrella"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} ({self.get_stage_display()})"

    def audit_scope(self) -> dict:
        return {"government_id": self.government_id, "agreement_id": self.agreement_id}

    @property
    def is_active(self) -> bool:
        return self.stage not in CLOSED_STAGES


class StageChange(models.Model):
    """One transition of a process: the history of who moved it, when and why."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="changes")
    transition = models.CharField(_("transition"), max_length=32)
    from_stage = models.CharField(_("from"), max_length=24, choices=Stage.choices)
    to_stage = models.CharField(_("to"), max_length=24, choices=Stage.choices)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.process_id}: {self.from_stage} → {self.to_stage}"

    def audit_scope(self) -> dict:
        return {"government_id": self.process.government_id, "agreement_id": self.process.agreement_id}


class ChecklistDocument(models.Model):
    """A document that fulfils one item of a stage's checklist (feasibility study, KAK, ...)."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="checklist_documents")
    item = models.CharField(_("checklist item"), max_length=32)
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "-added_at"]
        verbose_name = _("checklist document")
        verbose_name_plural = _("checklist documents")

    def __str__(self) -> str:
        return f"{self.item}: {self.document_id}"

    def audit_scope(self) -> dict:
        return {"government_id": self.process.government_id, "agreement_id": self.process.agreement_id}


class ReviewComment(models.Model):
    """A TKKSD reviewer's (or anyone's) comment on the proposal or on one draft version."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="comments")
    stage = models.CharField(_("stage"), max_length=24, choices=Stage.choices)
    draft = models.ForeignKey(
        "documents.Document",
        verbose_name=_("draft version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.TextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")

    def __str__(self) -> str:
        return self.body[:60]

    def audit_scope(self) -> dict:
        return {"government_id": self.process.government_id, "agreement_id": self.process.agreement_id}


class TerminationRecord(models.Model):
    """Why and when an agreement ended early, and which obligations survive its end."""

    agreement = models.OneToOneField(
        "agreements.Agreement", on_delete=models.PROTECT, related_name="termination_record"
    )
    ground = models.CharField(_("termination ground"), max_length=24, choices=TerminationGround.choices)
    terminated_on = models.DateField(_("terminated on"))
    surviving_obligations = models.TextField(_("obligations that survive"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("termination")
        verbose_name_plural = _("terminations")

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.ground}"

    def audit_scope(self) -> dict:
        return {"government_id": self.agreement.government_id, "agreement_id": self.agreement_id}


class AmendmentRecord(models.Model):
    """The rationale of an addendum, recorded when the amendment is started."""

    addendum = models.OneToOneField("agreements.Agreement", on_delete=models.PROTECT, related_name="amendment_record")
    rationale = models.TextField(_("rationale"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")

    def __str__(self) -> str:
        return self.rationale[:60]

    def audit_scope(self) -> dict:
        return {"government_id": self.addendum.government_id, "agreement_id": self.addendum_id}


class WorkflowSettings(models.Model):
    """The rules the regulation leaves open, per government, editable by its admin.
    Defaults come from settings.py (environment variables)."""

    government = models.OneToOneField(
        "governments.Government", on_delete=models.PROTECT, related_name="workflow_settings"
    )
    ksb_validity_months = models.PositiveSmallIntegerField(
        _("months a KSB stays valid without a PKS"), help_text=_("The PKS must be signed within this time.")
    )
    dprd_response_days = models.PositiveSmallIntegerField(_("days the DPRD has to respond"))
    reporting_period_months = models.PositiveSmallIntegerField(_("reporting period (months)"))
    tkksd_review_days = models.PositiveSmallIntegerField(_("days for the TKKSD assessment"))
    offer_response_days = models.PositiveSmallIntegerField(_("days for the partner to answer an offer"))
    drafting_days = models.PositiveSmallIntegerField(_("days to draft and sign a document"))
    central_approval_days = models.PositiveSmallIntegerField(_("days for central government approval"))
    expiry_reminder_days = models.CharField(
        _("expiry reminders (days before the end)"),
        max_length=100,
        help_text=_("Comma-separated, e.g. 180,90,30; weekly reminders follow the last one."),
    )
    expiry_overrides = models.TextField(
        _("expiry reminders per category"),
        blank=True,
        help_text=_("One line per category, e.g. ksdpl=365,180,90,30"),
    )
    escalate_after = models.PositiveSmallIntegerField(_("escalate to the leader after this many reminders"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("workflow settings")
        verbose_name_plural = _("workflow settings")

    def __str__(self) -> str:
        return str(self.government)

    def audit_scope(self) -> dict:
        return {"government_id": self.government_id}

    @staticmethod
    def parse_days(text: str) -> list[int]:
        days = sorted({int(part) for part in text.replace(" ", "").split(",") if part}, reverse=True)
        if not days or any(day <= 0 for day in days):
            raise ValueError(text)
        return days

    def expiry_days_for(self, category: str) -> list[int]:
        for line in self.expiry_overrides.splitlines():
            key, _sep, value = line.partition("=")
            if key.strip() == category and value.strip():
                try:
                    return self.parse_days(value)
                except ValueError:
                    break
        try:
            return self.parse_days(self.expiry_reminder_days)
        except ValueError:
            return [180, 90, 30]
