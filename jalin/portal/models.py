import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def feedback_photo_path(instance: "Feedback", filename: str) -> str:
    # Never the citizen's file name: a random name in the agreement's feedback folder.
    return f"feedback/{instance.agreement_id}/{uuid.uuid4().hex}"


class FeedbackKind(models.TextChoices):
    ASPIRATION = "aspiration", _("Aspiration or suggestion")
    COMPLAINT = "complaint", _("Complaint")
    QUESTION = "question", _("Question")
    BENEFIT_SEEN = "benefit_seen", _("I have seen the benefits")
    BENEFIT_NOT_SEEN = "benefit_not_seen", _("I have not seen the benefits")


class FeedbackStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not published")


class Feedback(models.Model):
    """A citizen's message about a published agreement. Nothing is public until moderated;
    contact details and the sender's address are never public."""

    government = models.ForeignKey(
        "governments.Government", verbose_name=_("government"), on_delete=models.PROTECT, related_name="+"
    )
    agreement = models.ForeignKey(
        "agreements.Agreement", verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="feedback"
    )
    kind = models.CharField(_("kind of feedback"), max_length=20, choices=FeedbackKind.choices)
    message = models.TextField(_("message"))
    photo = models.FileField(upload_to=feedback_photo_path, max_length=255, blank=True)
    photo_content_type = models.CharField(max_length=100, blank=True)
    # Private: shown to moderators only.
    contact_name = models.CharField(_("name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    sender_hash = models.CharField(max_length=64, editable=False, db_index=True)
    message_hash = models.CharField(max_length=64, editable=False)
    follow_token_hash = models.CharField(max_length=64, editable=False, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=FeedbackStatus.choices, default=FeedbackStatus.PENDING
    )
    moderation_note = models.TextField(_("internal moderation note"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    answer = models.TextField(_("public answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("citizen feedback")
        verbose_name_plural = _("citizen feedback")
        indexes = [
            models.Index(fields=["agreement", "status", "-created_at"], name="feedback_agreement_status"),
            models.Index(fields=["government", "status"], name="feedback_government_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.message[:40]}"

    def audit_scope(self) -> dict:
        return {"government_id": self.government_id, "agreement_id": self.agreement_id}

    @property
    def is_public(self) -> bool:
        return self.status == FeedbackStatus.PUBLISHED
