import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def template_path(instance: "GovernmentTemplate", filename: str) -> str:
    # Private storage: a template is downloaded only through the access check.
    return f"letterheads/{instance.government_id}/{instance.kind}-{uuid.uuid4().hex}.docx"


class GovernmentTemplate(models.Model):
    """A government's own version of a document template (its letterhead, logo, wording).
    The newest one not archived is used; archiving it (revert) brings back the shipped one."""

    government = models.ForeignKey(
        "governments.Government", verbose_name=_("government"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("template"), max_length=32)
    file = models.FileField(upload_to=template_path, max_length=255)
    filename = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        indexes = [models.Index(fields=["government", "kind", "archived_at"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.filename}"

    def audit_scope(self) -> dict:
        return {"government_id": self.government_id}


class LetterSettings(models.Model):
    """What the letters that go with the reports say about the sender: the number, the
    addressee and the signatory. Edited by the government's admin."""

    government = models.OneToOneField(
        "governments.Government", on_delete=models.PROTECT, related_name="letter_settings"
    )
    number_pattern = models.CharField(
        _("letter number"),
        max_length=120,
        blank=True,
        help_text=_("For example 000.5.4/…/BKS/{year}; {year} becomes the year of the letter."),
    )
    place = models.CharField(
        _("place of the letter"), max_length=80, blank=True, help_text=_("For example Gedong Tataan.")
    )
    addressee = models.CharField(
        _("addressee"), max_length=200, blank=True, help_text=_("For example Gubernur Lampung.")
    )
    addressee_place = models.CharField(_("addressee's city"), max_length=80, blank=True)
    signatory_name = models.CharField(_("signatory"), max_length=120, blank=True)
    signatory_title = models.CharField(_("signatory's position"), max_length=160, blank=True)
    signatory_rank = models.CharField(_("signatory's rank"), max_length=120, blank=True)
    signatory_nip = models.CharField(_("signatory's NIP"), max_length=30, blank=True)
    copies_to = models.TextField(_("copies to"), blank=True, help_text=_("One recipient per line."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("letter settings")
        verbose_name_plural = _("letter settings")

    def __str__(self) -> str:
        return str(self.government_id)

    def audit_scope(self) -> dict:
        return {"government_id": self.government_id}
