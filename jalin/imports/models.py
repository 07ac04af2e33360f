import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def import_path(instance: "RegisterImport", filename: str) -> str:
    # The stored name never comes from the user.
    return f"imports/{instance.government_id}/{uuid.uuid4().hex}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the columns")
    STAGING = "staging", _("Reading the rows")
    STAGED = "staged", _("Waiting for confirmation")
    APPLYING = "applying", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")
    UNDONE = "undone", _("Undone")


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
    # The background pipeline (jalin/imports/pipeline.py): progress, proposals, decisions.
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_staged = models.PositiveIntegerField(_("rows read"), default=0)
    problem_count = models.PositiveIntegerField(_("problems"), default=0)
    message = models.TextField(_("message"), blank=True)
    proposals = models.JSONField(_("proposals"), default=list, blank=True)
    accepted = models.JSONField(_("confirmed proposals"), default=list, blank=True)
    skipped_sheets = models.JSONField(_("skipped sheets"), default=list, blank=True)
    created_partner_ids = models.JSONField(default=list, blank=True)
    created_agency_ids = models.JSONField(default=list, blank=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    columns = models.JSONField(_("columns of the file"), default=list, blank=True)
    language = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        indexes = [models.Index(fields=["government", "-created_at"])]

    def __str__(self) -> str:
        return self.original_name

    def audit_scope(self) -> dict:
        return {"government_id": self.government_id}


class StagedRow(models.Model):
    """One row of an import as the staging pass decided it (and, once applied, what the
    import wrote: the agreement, how it was before, its version right after)."""

    register_import = models.ForeignKey(RegisterImport, on_delete=models.CASCADE, related_name="staged_rows")
    position = models.PositiveIntegerField()
    sheet = models.CharField(max_length=100, blank=True)
    row = models.PositiveIntegerField()
    action = models.CharField(max_length=16)
    number = models.CharField(max_length=255, blank=True)
    title = models.TextField(blank=True)
    detail = models.JSONField(default=dict)  # partners, changes, problems, notes, proposals
    agreement = models.ForeignKey(
        "agreements.Agreement", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    before = models.JSONField(null=True, blank=True)
    after_version = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["register_import", "position"]
        constraints = [
            models.UniqueConstraint(fields=["register_import", "position"], name="staged_row_unique_position")
        ]

    def __str__(self) -> str:
        return f"{self.sheet} {self.row}"
