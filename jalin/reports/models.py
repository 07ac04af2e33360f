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
