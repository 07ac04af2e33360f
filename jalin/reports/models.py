import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def report_path(instance: "ReportJob", filename: str) -> str:
    # Private storage, never a public URL: files are served only through the access check.
    return f"reports/{instance.requested_by_id}/{uuid.uuid4().hex}"


class ReportKind(models.TextChoices):
    PERIODIC = "periodic", _("Report on the implementation of regional cooperation")
    REGISTER = "register", _("Register of agreements")


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX (Word)"
    XLSX = "xlsx", "XLSX (Excel)"
    CSV = "csv", "CSV"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportJob(models.Model):
    """A report or export built in the background for one user, downloadable only by them."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    government = models.ForeignKey(
        "governments.Government", verbose_name=_("government"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("report"), max_length=16, choices=ReportKind.choices)
    format = models.CharField(_("format"), max_length=8, choices=ReportFormat.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.TextField(_("message"), blank=True)
    file = models.FileField(upload_to=report_path, max_length=255, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        indexes = [models.Index(fields=["requested_by", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="report_job_progress_0_100"),
        ]

    def __str__(self) -> str:
        return self.filename or f"{self.get_kind_display()} ({self.format})"

    def audit_scope(self) -> dict:
        return {"government_id": self.government_id}

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


def issued_path(instance: "IssuedReportFile", filename: str) -> str:
    # Private storage: an issued report is served only through the access check.
    return f"reports/issued/{uuid.uuid4().hex}"


class IssuedReport(models.Model):
    """The periodic report of one government for one period as the Bagian Kerja Sama issued it:
    its figures and files are kept as they were, so the report never changes afterwards. A
    wrong report is re-issued as the next version (with a reason); the earlier version stays,
    marked superseded. Never deleted."""

    government = models.ForeignKey(
        "governments.Government", verbose_name=_("government"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("period"), max_length=7)  # 2026-S1, 2026-S2 or 2026
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    reason = models.TextField(_("reason for re-issuing"), blank=True)
    language = models.CharField(_("language"), max_length=5)
    figures = models.JSONField(_("figures"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"))
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        ordering = ["government_id", "-period", "-version"]
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")
        constraints = [
            models.UniqueConstraint(fields=["government", "period", "version"], name="issued_report_version_once"),
            models.UniqueConstraint(
                fields=["government", "period"],
                condition=models.Q(superseded_at__isnull=True),
                name="issued_report_one_current",
            ),
            models.CheckConstraint(
                condition=models.Q(version=1, supersedes__isnull=True)
                | (models.Q(version__gt=1, supersedes__isnull=False) & ~models.Q(reason="")),
                name="issued_report_reissue_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.government_id} {self.period} v{self.version}"

    def audit_scope(self) -> dict:
        return {"government_id": self.government_id}

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    def context(self) -> dict:
        """What the rendered report prints about its issue."""
        return {
            "version": self.version,
            "issued_at": self.issued_at,
            "issued_by": self.issued_by.get_full_name() or self.issued_by.username,
            "supersedes": self.supersedes.version if self.supersedes_id else None,
        }


class IssuedReportFile(models.Model):
    """One file (PDF, DOCX or XLSX) of an issued report, with its SHA-256 checksum."""

    report = models.ForeignKey(IssuedReport, on_delete=models.PROTECT, related_name="files")
    format = models.CharField(_("format"), max_length=8, choices=ReportFormat.choices)
    file = models.FileField(upload_to=issued_path, max_length=255)
    filename = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)

    class Meta:
        ordering = ["report_id", "format"]
        verbose_name = _("issued report file")
        verbose_name_plural = _("issued report files")
        constraints = [models.UniqueConstraint(fields=["report", "format"], name="issued_report_file_once")]

    def __str__(self) -> str:
        return self.filename

    def audit_scope(self) -> dict:
        return {"government_id": self.report.government_id}
