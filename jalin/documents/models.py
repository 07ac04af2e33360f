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
