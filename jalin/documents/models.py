import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def document_path(instance: "Document", filename: str) -> str:
    # The stored name never comes from the user: a random name inside the agreement's folder.
    return f"agreements/{instance.agreement_id}/{uuid.uuid4().hex}"


class DocumentKind(models.TextChoices):
    SIGNED = "signed", _("Signed scan")
    DRAFT = "draft", _("Draft")
    ANNEX = "annex", _("Annex")
    OTHER = "other", _("Other supporting document")


class Document(models.Model):
    """One uploaded version of a file belonging to an agreement. Never served from a public URL."""

    agreement = models.ForeignKey(
        "agreements.Agreement", verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    version = models.PositiveIntegerField(_("version"), default=1)
    file = models.FileField(upload_to=document_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "title", "-version"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "kind", "title", "version"], name="document_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def audit_scope(self) -> dict:
        return {"government_id": self.agreement.government_id, "agreement_id": self.agreement_id}


class TextStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be read")
    RUNNING = "running", _("Being read")
    DONE = "done", _("Text extracted")
    NO_TEXT = "no_text", _("No text found")
    UNAVAILABLE = "unavailable", _("Text recognition (OCR) is not available on this server")
    FAILED = "failed", _("Reading failed")


class TextMethod(models.TextChoices):
    TEXT_LAYER = "text", _("Text layer")
    OCR = "ocr", _("Text recognition (OCR)")
    MIXED = "mixed", _("Text layer and OCR")


class DocumentText(models.Model):
    """The words of one stored document, extracted in the background (see docs/documents.md).
    Derived data: the document's own bytes never change; this row and its pages can be
    rebuilt at any time with `manage.py extract_document_text`."""

    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="text")
    status = models.CharField(_("text status"), max_length=16, choices=TextStatus.choices, default=TextStatus.PENDING)
    method = models.CharField(_("read by"), max_length=8, choices=TextMethod.choices, blank=True)
    language = models.CharField(_("OCR language"), max_length=32, blank=True)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    pages_done = models.PositiveIntegerField(_("pages read"), default=0)
    ocr_pages = models.PositiveIntegerField(_("pages read by OCR"), default=0)
    confidence = models.FloatField(_("mean confidence (%)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document text")
        verbose_name_plural = _("document texts")
        indexes = [models.Index(fields=["status"], name="documenttext_status")]

    def __str__(self) -> str:
        return f"{self.document} [{self.status}]"


class DocumentPage(models.Model):
    """One page's text. Searched through a full-text index that the migration
    `0003_page_search` creates: a generated tsvector column with a GIN index on PostgreSQL
    (configuration `jalin_id`: 'simple' + unaccent), an FTS5 table on SQLite."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField(_("page"))
    text = models.TextField(_("text"), blank=True)
    method = models.CharField(_("read by"), max_length=8, choices=TextMethod.choices)
    confidence = models.FloatField(_("confidence (%)"), null=True, blank=True)

    class Meta:
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="documentpage_unique_number")]

    def __str__(self) -> str:
        return f"{self.document} p. {self.number}"


def held_path(instance: "BulkItem", filename: str) -> str:
    return f"bulk/{instance.batch_id}/{uuid.uuid4().hex}"


class BulkUpload(models.Model):
    """Many files dropped at once; each becomes a BulkItem, matched to its agreement in the
    background."""

    government = models.ForeignKey("governments.Government", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # One scan to register a new agreement from (read for proposals, not matched).
    for_registration = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"bulk upload {self.pk}"


class ItemStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    STORED = "stored", _("Stored")
    DUPLICATE = "duplicate", _("Already stored")
    UNMATCHED = "unmatched", _("No agreement found")
    REJECTED = "rejected", _("Not accepted")


class MatchedBy(models.TextChoices):
    NAME = "name", _("number in the file name")
    TEXT = "text", _("number in the document's text")
    MANUAL = "manual", _("assigned by hand")


class BulkItem(models.Model):
    """One file of a bulk upload. While it waits or is unmatched its bytes are held in
    `file`; once stored as a document (or recognised as a duplicate) the held copy goes."""

    batch = models.ForeignKey(BulkUpload, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(upload_to=held_path, max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.QUEUED)
    matched_by = models.CharField(_("matched by"), max_length=8, choices=MatchedBy.choices, blank=True)
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    document = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    message = models.TextField(blank=True)
    # The words of its first pages, once read (matching by text, proposals from a scan).
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["batch", "position"]

    def __str__(self) -> str:
        return self.name
