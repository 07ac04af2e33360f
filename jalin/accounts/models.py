from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Cooperation division admin")
    OPD_OFFICER = "opd_officer", _("Agency (OPD) officer")
    TKKSD_REVIEWER = "tkksd_reviewer", _("TKKSD reviewer")
    LEADER = "leader", _("Leader")
    AUDITOR = "auditor", _("Auditor")
    SUPERVISOR = "supervisor", _("Supervisor")


class User(AbstractUser):
    """A staff user. Every user belongs to exactly one government and has one role."""

    government = models.ForeignKey(
        "governments.Government",
        verbose_name=_("government"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    agency = models.ForeignKey(
        "governments.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
    )
    title = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        if self.role and not self.government_id:
            raise ValidationError({"government": _("A user with a role must belong to a government.")})
        if self.role == Role.OPD_OFFICER and not self.agency_id:
            raise ValidationError({"agency": _("An agency officer must belong to an agency.")})
        if self.agency_id and self.agency.government_id != self.government_id:
            raise ValidationError({"agency": _("The agency must belong to the user's government.")})

    @property
    def is_staff_member(self) -> bool:
        return bool(self.is_active and self.role and self.government_id)

    def audit_scope(self) -> dict:
        return {"government_id": self.government_id}


class ApiToken(models.Model):
    """A named API token. Only the SHA-256 digest of the token is stored: the token itself is
    shown once, when it is minted (jalin/accounts/tokens.py)."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, help_text=_("The first characters, to recognise a token."))
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_active_at(self, when) -> bool:
        return self.revoked_at is None and self.expires_at > when
