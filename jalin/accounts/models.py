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


class TOTPDevice(models.Model):
    """A user's authenticator (RFC 6238 TOTP). Two-factor is on once `confirmed_at` is set."""

    user = models.OneToOneField(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField(_("secret"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    last_used_step = models.BigIntegerField(_("last used time step"), null=True, blank=True)

    class Meta:
        verbose_name = _("two-factor device")
        verbose_name_plural = _("two-factor devices")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def audit_scope(self) -> dict:
        return {"government_id": self.user.government_id}
