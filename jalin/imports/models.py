import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def import_path(instance: "RegisterImport", filename: str) -> str:
    # The stored name never comes from the user.
    return f"imports/{instance.government_id}/{uuid.uuid4().hex}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    DONE = "done", _("Imported")


class RegisterImport(models.Model):
    """One upload of an existing register (Excel or CSV), kept with its source file.

    Created when the file is uploaded (pending: mapping and preview), completed by one
    all-or-nothing run. Every audit entry the run writes carries `correlation_id`, so the
    trail shows the import as one change."""

    government = models.ForeignKey(
        "governments.Government", verbose_name=_("government"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    original_name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(upload_to=import_path, max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    completed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    correlation_id = models.CharField(_("audit correlation id"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        indexes = [models.Index(fields=["government", "-created_at"])]

    def __str__(self) -> str:
        return self.original_name

    def audit_scope(self) -> dict:
        return {"government_id": self.government_id}
