from django.db import models
from django.utils.translation import gettext_lazy as _


class Government(models.Model):
    """A regional government (pemerintah daerah), identified by its Kemendagri code."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCE = "province", _("Province")
        REGENCY = "regency", _("Regency")
        CITY = "city", _("City")

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("government")
        verbose_name_plural = _("governments")

    def __str__(self) -> str:
        return self.name

    def audit_scope(self) -> dict:
        return {"government_id": self.pk}


class Affair(models.Model):
    """A government affair (urusan pemerintahan) of Permendagri 90/2019, e.g. 1.01 Pendidikan."""

    class Group(models.TextChoices):
        BASIC_SERVICE = "basic", _("Mandatory, basic services")
        NON_BASIC = "non_basic", _("Mandatory, not basic services")
        OPTIONAL = "optional", _("Optional")

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=200)
    group = models.CharField(_("group"), max_length=16, choices=Group.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("government affair")
        verbose_name_plural = _("government affairs")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Agency(models.Model):
    """One of the government's own agencies (perangkat daerah / OPD)."""

    government = models.ForeignKey(
        Government, verbose_name=_("government"), on_delete=models.PROTECT, related_name="agencies"
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    head_name = models.CharField(_("head of agency"), max_length=200, blank=True)
    head_title = models.CharField(_("head's title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    restore_reason = models.TextField(_("reason for restoring"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(fields=["government", "name"], name="agency_unique_name_per_government"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def audit_scope(self) -> dict:
        return {"government_id": self.government_id}
