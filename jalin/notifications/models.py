"""Reminders sent, in-app notifications, daily digests and personal preferences."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Preference(models.Model):
    """A user's notification preferences and the secret of their calendar feed."""

    class Language(models.TextChoices):
        INDONESIAN = "id", _("Indonesian")
        ENGLISH = "en", _("English")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    language = models.CharField(_("language of e-mails"), max_length=2, choices=Language.choices, default="id")
    email_digest = models.BooleanField(_("send me a daily e-mail digest"), default=True)
    email_at_once = models.BooleanField(
        _("e-mail me at once when work is handed to me (otherwise it waits for the digest)"), default=True
    )
    whatsapp_number = models.CharField(
        _("WhatsApp number"), max_length=20, blank=True, help_text=_("In international form, e.g. +6281234567890.")
    )
    whatsapp_opt_in = models.BooleanField(_("send me work handed to me on WhatsApp"), default=False)
    calendar_token = models.CharField(max_length=64, unique=True, default=new_token)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)

    def audit_scope(self) -> dict:
        return {"government_id": self.user.government_id}


class SentReminder(models.Model):
    """The claim on a reminder key: inserting the row is what allows a worker to send it.
    The unique key means the same step is never reminded twice, whatever runs concurrently."""

    key = models.CharField(max_length=200, unique=True)
    thread = models.CharField(max_length=200, db_index=True)
    agreement = models.ForeignKey("agreements.Agreement", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=300)
    reason = models.TextField()
    due = models.DateField()
    escalated = models.BooleanField(default=False)
    sent_on = models.DateField()
    texts = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")

    def __str__(self) -> str:
        return self.key


class Digest(models.Model):
    """One e-mail per address per day: the unique (email, day) row is the claim."""

    email = models.EmailField()
    day = models.DateField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    items = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email", "day"], name="digest_once_per_day")]
        verbose_name = _("digest")
        verbose_name_plural = _("digests")

    def __str__(self) -> str:
        return f"{self.email} {self.day}"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One item for one person: in the notification centre (users) and in their next digest
    (anyone with an e-mail address, e.g. the head of an agency)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    email = models.EmailField(blank=True)
    government = models.ForeignKey("governments.Government", on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(
        "agreements.Agreement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reminder = models.ForeignKey(
        SentReminder, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    subject = models.CharField(_("subject"), max_length=300)
    reason = models.TextField(_("reason"))
    due = models.DateField(_("due"), null=True, blank=True)
    escalated = models.BooleanField(default=False)
    link = models.CharField(max_length=300, blank=True)
    texts = models.JSONField(default=dict, blank=True, help_text="{language: [subject, reason]}")
    key = models.CharField(max_length=200, blank=True, help_text="the hand-over: never notified twice to one person")
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(Digest, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications")

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_unread"),
            models.Index(fields=["email", "digest"], name="notification_email_digest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "email", "user"],
                condition=Q(reminder__isnull=False),
                name="notification_once_per_reminder_recipient",
            ),
            models.UniqueConstraint(
                fields=["key", "user"], condition=~Q(key=""), name="notification_once_per_handover_user"
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def text_in(self, language: str) -> tuple[str, str]:
        subject, reason = self.texts.get(language) or (self.subject, self.reason)
        return subject, reason

    @property
    def display_subject(self) -> str:
        from django.utils.translation import get_language

        return self.text_in((get_language() or "id")[:2])[0]

    @property
    def display_reason(self) -> str:
        from django.utils.translation import get_language

        return self.text_in((get_language() or "id")[:2])[1]


class WhatsAppMessage(models.Model):
    """One WhatsApp message for one notification: queued, then sent (or failed) by the worker.
    Failures are retried a few times, then shown on the person's notification page."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        READ = "read", _("Read")
        FAILED = "failed", _("Failed")

    notification = models.OneToOneField(Notification, on_delete=models.PROTECT, related_name="whatsapp")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    to = models.CharField(max_length=20)
    template = models.CharField(max_length=100)
    language = models.CharField(max_length=10)
    parameters = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    provider_id = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("WhatsApp message")
        verbose_name_plural = _("WhatsApp messages")

    def __str__(self) -> str:
        return f"{self.to} {self.status}"
