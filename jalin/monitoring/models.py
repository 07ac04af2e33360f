"""The results framework of an agreement and the trail that proves it: obligations,
indicators with targets and actuals per period, evidence, budget, beneficiaries,
progress reports (draft → submitted → verified / returned, corrected by new versions)
and evaluations (a rubric, kept with its history, publishable)."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def _scope(agreement) -> dict:
    return {"government_id": agreement.government_id, "agreement_id": agreement.pk}


class ResponsibleParty(models.TextChoices):
    OURS = "ours", _("Our agency")
    PARTNER = "partner", _("The partner")
    JOINT = "joint", _("Both parties")


class ObligationStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    MET = "met", _("Met")
    PARTLY_MET = "partly_met", _("Partly met")
    NOT_MET = "not_met", _("Not met")


# How far an obligation without indicators has progressed, by its status (percent).
OBLIGATION_STATUS_PROGRESS = {
    ObligationStatus.SCHEDULED: Decimal(0),
    ObligationStatus.NOT_MET: Decimal(0),
    ObligationStatus.PARTLY_MET: Decimal(50),
    ObligationStatus.MET: Decimal(100),
}


class Obligation(models.Model):
    """An obligation or work-plan item of an agreement."""

    agreement = models.ForeignKey(
        "agreements.Agreement", verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="obligations"
    )
    description = models.TextField(_("description"))
    party = models.CharField(
        _("responsible party"), max_length=10, choices=ResponsibleParty.choices, default=ResponsibleParty.OURS
    )
    agency = models.ForeignKey(
        "governments.Agency",
        verbose_name=_("responsible agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ObligationStatus.choices, default=ObligationStatus.SCHEDULED
    )
    met_on = models.DateField(_("met on"), null=True, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1, validators=[MinValueValidator(1)])
    is_public = models.BooleanField(_("public"), default=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1), name="obligation_weight_positive"),
            models.CheckConstraint(
                condition=Q(met_on__isnull=True) | Q(status__in=["met", "partly_met"]),
                name="obligation_met_on_only_when_met",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def audit_scope(self) -> dict:
        return _scope(self.agreement)


class IndicatorType(models.TextChoices):
    OUTPUT = "output", _("Output")
    OUTCOME = "outcome", _("Outcome")
    IMPACT = "impact", _("Impact")


class Measure(models.TextChoices):
    NUMBER = "number", _("Number")
    PERCENT = "percent", _("Percent")
    YES_NO = "yes_no", _("Yes / no")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Indicator(models.Model):
    """A measurable result of an agreement, optionally under one of its obligations."""

    agreement = models.ForeignKey(
        "agreements.Agreement", verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="indicators"
    )
    obligation = models.ForeignKey(
        Obligation,
        verbose_name=_("obligation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    name = models.CharField(_("name"), max_length=300)
    indicator_type = models.CharField(_("type"), max_length=10, choices=IndicatorType.choices)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    measure = models.CharField(_("measure"), max_length=10, choices=Measure.choices, default=Measure.NUMBER)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    baseline_value = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2, default=0)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target_value = models.DecimalField(_("final target"), max_digits=16, decimal_places=2)
    rpjmd_code = models.CharField(_("RPJMD target code"), max_length=60, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1, validators=[MinValueValidator(1)])
    is_public = models.BooleanField(_("public"), default=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1), name="indicator_weight_positive"),
            models.CheckConstraint(
                condition=~Q(target_value=models.F("baseline_value")), name="indicator_target_moves"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_scope(self) -> dict:
        return _scope(self.agreement)


class IndicatorPeriod(models.Model):
    """The target of an indicator at the end of one reporting period (the pro-rata path to
    its final target unless set otherwise) and the actual value a verified report gave."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="periods")
    starts_on = models.DateField(_("period starts"))
    ends_on = models.DateField(_("period ends"))
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2)
    actual = models.DecimalField(_("actual"), max_digits=16, decimal_places=2, null=True, blank=True)
    actual_report = models.ForeignKey(
        "ProgressReport", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["indicator_id", "starts_on"]
        verbose_name = _("indicator period")
        verbose_name_plural = _("indicator periods")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "starts_on"], name="indicator_period_once"),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="indicator_period_order"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.starts_on:%Y-%m}"

    def audit_scope(self) -> dict:
        return _scope(self.indicator.agreement)


class FundingSource(models.TextChoices):
    APBD = "apbd", _("Regional budget (APBD)")
    PARTNER = "partner", _("Partner")
    OTHER = "other", _("Other")


class BudgetLine(models.Model):
    """Money planned for an agreement by one party from one source."""

    agreement = models.ForeignKey(
        "agreements.Agreement", verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="budget_lines"
    )
    party = models.CharField(_("party"), max_length=10, choices=ResponsibleParty.choices)
    source = models.CharField(_("source"), max_length=10, choices=FundingSource.choices)
    description = models.CharField(_("description"), max_length=300)
    planned = models.DecimalField(_("planned (Rp)"), max_digits=18, decimal_places=2)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [models.CheckConstraint(condition=Q(planned__gte=0), name="budget_planned_not_negative")]

    def __str__(self) -> str:
        return self.description

    def audit_scope(self) -> dict:
        return _scope(self.agreement)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    VERIFIED = "verified", _("Verified")
    SUPERSEDED = "superseded", _("Superseded by a correction")


OPEN_REPORT_STATUSES = (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED)


class ProgressReport(models.Model):
    """One version of an agreement's progress report for one period. A verified report is
    locked; a correction is a new version that supersedes it once verified."""

    agreement = models.ForeignKey(
        "agreements.Agreement", verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="progress_reports"
    )
    period_starts_on = models.DateField(_("period starts"))
    period_ends_on = models.DateField(_("period ends"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    corrects = models.ForeignKey(
        "self", verbose_name=_("corrects"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    summary = models.TextField(_("summary of progress"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    returned_reason = models.TextField(_("reason for returning"), blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)

    class Meta:
        ordering = ["-period_starts_on", "-version"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "period_starts_on", "version"], name="report_unique_version_per_period"
            ),
            models.UniqueConstraint(
                fields=["agreement", "period_starts_on"],
                condition=Q(status__in=["draft", "submitted", "returned"]),
                name="report_one_open_version_per_period",
            ),
            models.UniqueConstraint(
                fields=["agreement", "period_starts_on"],
                condition=Q(status="verified"),
                name="report_one_verified_version_per_period",
            ),
            models.CheckConstraint(
                condition=Q(period_ends_on__gt=models.F("period_starts_on")), name="report_period_order"
            ),
        ]
        indexes = [models.Index(fields=["agreement", "status", "period_ends_on"], name="report_agreement_status")]

    def __str__(self) -> str:
        return f"{self.agreement} · {self.period_label} v{self.version}"

    def audit_scope(self) -> dict:
        return _scope(self.agreement)

    @property
    def period_label(self) -> str:
        from jalin.monitoring.periods import Period

        return Period(self.period_starts_on, self.period_ends_on).label

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class ReportIndicatorValue(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("actual"), max_digits=16, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="report_indicator_once")]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"

    def audit_scope(self) -> dict:
        return _scope(self.report.agreement)


class ReportObligation(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="obligation_updates")
    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=ObligationStatus.choices)
    met_on = models.DateField(_("met on"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "obligation"], name="report_obligation_once")]

    def __str__(self) -> str:
        return f"{self.obligation}: {self.status}"

    def audit_scope(self) -> dict:
        return _scope(self.report.agreement)


class BudgetRealisation(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="budget_realisations")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="realisations")
    amount = models.DecimalField(_("realised (Rp)"), max_digits=18, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "budget_line"], name="report_budget_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_realised_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.budget_line}: {self.amount}"

    def audit_scope(self) -> dict:
        return _scope(self.report.agreement)


class BeneficiaryGroup(models.TextChoices):
    GENERAL = "general", _("General public")
    WOMEN = "women", _("Women")
    CHILDREN = "children", _("Children")
    ELDERLY = "elderly", _("Elderly")
    DISABILITY = "disability", _("Persons with disabilities")
    POOR = "poor", _("Poor households")
    FARMERS = "farmers", _("Farmers and fishers")
    MSME = "msme", _("Micro, small and medium enterprises")
    STUDENTS = "students", _("Students")
    PATIENTS = "patients", _("Patients")
    OTHER = "other", _("Other")


class Beneficiary(models.Model):
    """How many citizens of one group benefited in the report's period, and how they were counted."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="beneficiaries")
    group = models.CharField(_("group"), max_length=12, choices=BeneficiaryGroup.choices)
    count = models.PositiveIntegerField(_("number of people"))
    method = models.CharField(_("how they were counted"), max_length=300)

    class Meta:
        ordering = ["id"]
        verbose_name = _("beneficiaries")
        verbose_name_plural = _("beneficiaries")
        constraints = [models.UniqueConstraint(fields=["report", "group"], name="beneficiary_group_once")]

    def __str__(self) -> str:
        return f"{self.group}: {self.count}"

    def audit_scope(self) -> dict:
        return _scope(self.report.agreement)


def evidence_path(instance: "Evidence", filename: str) -> str:
    return f"monitoring/{instance.agreement_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A file (document or photo) or a link that proves progress."""

    agreement = models.ForeignKey(
        "agreements.Agreement", verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="evidence"
    )
    report = models.ForeignKey(ProgressReport, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence")
    obligation = models.ForeignKey(Obligation, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence")
    caption = models.CharField(_("caption"), max_length=300)
    file = models.FileField(upload_to=evidence_path, max_length=255, blank=True)
    thumbnail = models.FileField(upload_to=evidence_path, max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    taken_at = models.DateTimeField(_("photo taken at"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_public = models.BooleanField(_("may be shown to the public"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(condition=~Q(file="") | ~Q(url=""), name="evidence_file_or_link"),
        ]
        indexes = [models.Index(fields=["agreement", "created_at"], name="evidence_agreement_created")]

    def __str__(self) -> str:
        return self.caption

    def audit_scope(self) -> dict:
        return _scope(self.agreement)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Recommendation(models.TextChoices):
    CONTINUE = "continue", _("Continue")
    REVISE = "revise", _("Revise")
    TERMINATE = "terminate", _("Terminate")


SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Evaluation(models.Model):
    """One evaluation of an agreement for a period. Never edited: a re-evaluation is a new row,
    so the history stays; the latest may be published."""

    agreement = models.ForeignKey(
        "agreements.Agreement", verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="evaluations"
    )
    period = models.CharField(_("period evaluated"), max_length=40)
    effectiveness = models.PositiveSmallIntegerField(_("effectiveness"), validators=SCORE_VALIDATORS)
    effectiveness_note = models.TextField(_("justification (effectiveness)"))
    efficiency = models.PositiveSmallIntegerField(_("efficiency"), validators=SCORE_VALIDATORS)
    efficiency_note = models.TextField(_("justification (efficiency)"))
    benefit = models.PositiveSmallIntegerField(_("benefit to citizens"), validators=SCORE_VALIDATORS)
    benefit_note = models.TextField(_("justification (benefit to citizens)"))
    compliance = models.PositiveSmallIntegerField(_("compliance"), validators=SCORE_VALIDATORS)
    compliance_note = models.TextField(_("justification (compliance)"))
    recommendation = models.CharField(_("recommendation"), max_length=10, choices=Recommendation.choices)
    conclusion = models.TextField(_("conclusion"), blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("evaluated at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                condition=Q(effectiveness__range=(1, 5))
                & Q(efficiency__range=(1, 5))
                & Q(benefit__range=(1, 5))
                & Q(compliance__range=(1, 5)),
                name="evaluation_scores_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} · {self.period}"

    def audit_scope(self) -> dict:
        return _scope(self.agreement)

    @property
    def average(self) -> Decimal:
        return Decimal(self.effectiveness + self.efficiency + self.benefit + self.compliance) / 4


class DashboardSummary(models.Model):
    """A government's dashboard figures for one day, computed from a known revision of its data
    (jalin.audit.revisions). A derived cache, never edited: it is recomputed when the day or the
    revision has moved on, so a supervisor's dashboard over hundreds of governments adds up
    stored summaries instead of scanning every agreement."""

    government = models.OneToOneField(
        "governments.Government", primary_key=True, on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField()
    revision = models.BigIntegerField()  # the government's newest audit entry (jalin.audit.revisions)
    data = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dashboard summary")
        verbose_name_plural = _("dashboard summaries")

    def __str__(self) -> str:
        return f"{self.government_id} {self.day}@{self.revision}"
