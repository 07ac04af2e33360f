import re
import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _

# Legal-form words that do not distinguish one partner from another.
_NOISE_WORDS = {"pt", "tbk", "persero", "cv", "pd", "perseroda", "perum", "yayasan", "the", "ltd", "inc"}


def normalise_name(name: str) -> str:
    """Reduce a partner name to a comparable key: 'PT. Bank Lampung (Persero)' -> 'bank lampung'."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(word for word in words if word not in _NOISE_WORDS)


def normalise_tax_number(value: str) -> str:
    return re.sub(r"\D", "", value or "")


class PartnerType(models.TextChoices):
    GOVERNMENT = "government", _("Regional government")
    MINISTRY = "ministry", _("Ministry / central agency (K/L)")
    BUMN = "bumn", _("State-owned enterprise (BUMN)")
    BUMD = "bumd", _("Regional-owned enterprise (BUMD)")
    UNIVERSITY = "university", _("University")
    PRIVATE = "private", _("Private company")
    BANK = "bank", _("Bank")
    NGO = "ngo", _("NGO / community organisation")
    INDIVIDUAL = "individual", _("Individual")
    FOREIGN_GOVERNMENT = "foreign_government", _("Foreign local government")
    FOREIGN_INSTITUTION = "foreign_institution", _("Foreign institution")


class PartnerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)


class Partner(models.Model):
    """A cooperation partner (mitra). One record per real partner within a government's register."""

    government = models.ForeignKey(
        "governments.Government",
        verbose_name=_("owning government"),
        on_delete=models.PROTECT,
        related_name="partners",
    )
    name = models.CharField(_("name"), max_length=255)
    normalised_name = models.CharField(max_length=255, editable=False, db_index=True)
    partner_type = models.CharField(_("partner type"), max_length=24, choices=PartnerType.choices)
    region = models.ForeignKey(
        "governments.Government",
        verbose_name=_("region (for a regional government)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tax_number = models.CharField(_("tax number (NPWP)"), max_length=32, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True, default="Indonesia")
    address = models.TextField(_("address"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    restore_reason = models.TextField(_("reason for restoring"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        indexes = [models.Index(fields=["government", "partner_type"])]

    def __str__(self) -> str:
        return self.name

    def audit_scope(self) -> dict:
        return {"government_id": self.government_id}
