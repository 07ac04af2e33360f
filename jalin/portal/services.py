"""Writes of the public portal: citizens send feedback, staff moderate and answer it.

Spam and abuse controls work without any outside service: a rate limit per address (in
the cache), a honeypot field (checked by the view), size limits, content checks and a
duplicate check; nothing is public until a moderator publishes it.
"""

import hashlib
import io
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from jalin.accounts.models import User
from jalin.audit.context import acting_as
from jalin.lib import handovers
from jalin.lib.uploads import check_upload
from jalin.portal import access
from jalin.portal.models import Feedback, FeedbackKind, FeedbackStatus
from jalin.portal.selectors import published_agreements

PHOTO_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}
MESSAGE_MIN = 10
_URL = re.compile(r"(https?://|www\.)", re.IGNORECASE)
_TAG = re.compile(r"<\s*/?\s*[a-z][^>]*>", re.IGNORECASE)
_REPEAT = re.compile(r"(.)\1{9,}")


class RateLimited(Exception):
    """Too many messages from one address; the view answers 429."""


@dataclass
class SubmittedFeedback:
    feedback: Feedback
    follow_token: str


def sender_hash(address: str) -> str:
    """A keyed hash of the sender's address: enough to rate-limit and spot duplicates,
    without storing the address itself."""
    return salted_hmac("jalin.portal.sender", address or "unknown").hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_rate(sender: str) -> None:
    now = int(timezone.now().timestamp())
    for window, limit in ((3600, settings.PORTAL_FEEDBACK_PER_HOUR), (86400, settings.PORTAL_FEEDBACK_PER_DAY)):
        key = f"portal:feedback-rate:{sender}:{window}:{now // window}"
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=window)
            count = 1
        if count > limit:
            raise RateLimited


def _check_content(fields: dict) -> dict:
    errors: dict[str, list[str]] = {}

    def problem(field, message):
        errors.setdefault(field, []).append(message)

    kind = fields.get("kind")
    if kind not in FeedbackKind.values:
        problem("kind", _("Choose the kind of feedback."))
    message = (fields.get("message") or "").strip()
    limit = settings.PORTAL_FEEDBACK_MAX_CHARS
    if len(message) < MESSAGE_MIN:
        problem("message", _("Write at least %(min)d characters.") % {"min": MESSAGE_MIN})
    elif len(message) > limit:
        problem("message", _("At most %(limit)d characters.") % {"limit": limit})
    elif len(_URL.findall(message)) > settings.PORTAL_FEEDBACK_MAX_LINKS:
        problem("message", _("Too many links. Describe what you saw in your own words."))
    elif _TAG.search(message):
        problem("message", _("Write plain text, without HTML."))
    elif _REPEAT.search(message) or len(set(message.lower())) < 5:
        problem("message", _("The message does not look like a real message."))
    name = (fields.get("contact_name") or "").strip()
    if len(name) > 120:
        problem("contact_name", _("At most %(limit)d characters.") % {"limit": 120})
    email = (fields.get("contact_email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problem("contact_email", _("Enter a valid e-mail address."))
    phone = (fields.get("contact_phone") or "").strip()
    if phone and not re.fullmatch(r"\+?[0-9 ()\-]{6,40}", phone):
        problem("contact_phone", _("Enter a phone number with digits only, for example 0812 3456 7890."))
    return errors


def _clean_photo(upload: UploadedFile) -> tuple[ContentFile, str]:
    """Check the photo like every upload, then re-encode it: this drops EXIF data (such as the
    GPS position of the citizen's phone) and anything hidden after the image."""
    from PIL import Image, UnidentifiedImageError

    checked = check_upload(upload, max_bytes=settings.PORTAL_FEEDBACK_PHOTO_MAX_BYTES, allowed=PHOTO_TYPES)
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.width * image.height > 40_000_000:
                raise ValidationError(_("The photo is too large."))
            image.load()
            image = image.convert("RGB") if checked.content_type == "image/jpeg" else image.copy()
            image.thumbnail((1600, 1600))
            output = io.BytesIO()
            if checked.content_type == "image/jpeg":
                image.save(output, format="JPEG", quality=85)
            else:
                image.save(output, format="PNG")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(_("The photo cannot be read. Send a JPG or PNG photo.")) from error
    return ContentFile(output.getvalue(), name="photo"), checked.content_type


@transaction.atomic
def feedback_submit(
    *, agreement_id, fields: dict, sender_address: str, photo: UploadedFile | None = None
) -> SubmittedFeedback:
    """A citizen's feedback on a published agreement. Stored unpublished; the moderators are
    told (a hand-over: in-app and by e-mail) once the transaction commits."""
    agreement = published_agreements().select_related("government", "lead_agency").filter(pk=agreement_id).first()
    if agreement is None:
        raise ValidationError(_("Feedback can only be sent on a published agreement."))
    errors = _check_content(fields)
    if errors:
        raise ValidationError(errors)
    sender = sender_hash(sender_address)
    message = fields["message"].strip()
    digest = hashlib.sha256(" ".join(message.lower().split()).encode()).hexdigest()
    _check_rate(sender)
    since = timezone.now() - timezone.timedelta(days=1)
    if Feedback.objects.filter(sender_hash=sender, message_hash=digest, created_at__gte=since).exists():
        raise ValidationError({"message": _("You have already sent this message. It is awaiting moderation.")})
    photo_file, photo_type = (None, "")
    if photo is not None:
        photo_file, photo_type = _clean_photo(photo)
    token = secrets.token_urlsafe(24)
    feedback = Feedback(
        government_id=agreement.government_id,
        agreement=agreement,
        kind=fields["kind"],
        message=message,
        contact_name=(fields.get("contact_name") or "").strip(),
        contact_email=(fields.get("contact_email") or "").strip(),
        contact_phone=(fields.get("contact_phone") or "").strip(),
        sender_hash=sender,
        message_hash=digest,
        follow_token_hash=token_hash(token),
        photo_content_type=photo_type,
    )
    stored = None
    try:
        with acting_as(None):
            if photo_file is not None:
                feedback.photo.save("photo", photo_file, save=False)
                stored = feedback.photo.name
            feedback.save()
    except BaseException:
        if stored:
            feedback.photo.storage.delete(stored)
        raise
    handovers.announce(
        state="feedback.pending",
        key=f"feedback:{feedback.pk}",
        government_id=feedback.government_id,
        agreement_id=agreement.pk,
        object_id=feedback.pk,
    )
    if feedback.contact_email:
        transaction.on_commit(lambda: _notify_citizen_received(feedback.pk, token))
    return SubmittedFeedback(feedback=feedback, follow_token=token)


def feedback_by_token(token: str) -> Feedback | None:
    if not token or len(token) > 100:
        return None
    return (
        Feedback.objects.select_related("agreement", "agreement__government")
        .filter(follow_token_hash=token_hash(token))
        .first()
    )


@transaction.atomic
def feedback_moderate(*, actor: User, feedback: Feedback, decision: str, note: str = "") -> Feedback:
    """Publish or reject a citizen's feedback (rejected feedback stays on record, unpublished)."""
    feedback = Feedback.objects.select_for_update().select_related("agreement").get(pk=feedback.pk)
    if not access.can_moderate_feedback(actor, feedback):
        raise PermissionDenied
    if decision not in (FeedbackStatus.PUBLISHED, FeedbackStatus.REJECTED):
        raise ValidationError({"decision": _("Choose whether to publish or reject the feedback.")})
    if len(note or "") > 2000:
        raise ValidationError({"note": _("At most %(limit)d characters.") % {"limit": 2000}})
    if decision == FeedbackStatus.REJECTED and not (note or "").strip():
        raise ValidationError({"note": _("State why the feedback is not published.")})
    with acting_as(actor):
        feedback.status = decision
        feedback.moderation_note = (note or "").strip()
        feedback.moderated_by = actor
        feedback.moderated_at = timezone.now()
        feedback.save()
    return feedback


@transaction.atomic
def feedback_reclassify(*, actor: User, feedback: Feedback, kind: str) -> Feedback:
    """Correct the kind a citizen chose (a question sent as a complaint, ...); the audit trail
    keeps what it was and who changed it."""
    feedback = Feedback.objects.select_for_update().select_related("agreement").get(pk=feedback.pk)
    if not access.can_moderate_feedback(actor, feedback):
        raise PermissionDenied
    if kind not in FeedbackKind.values:
        raise ValidationError({"kind": _("Choose the kind of feedback.")})
    if kind == feedback.kind:
        raise ValidationError({"kind": _("The feedback already has this kind; choose another one to reclassify it.")})
    with acting_as(actor):
        feedback.kind = kind
        feedback.save(update_fields=["kind", "updated_at"])
    return feedback


@transaction.atomic
def feedback_answer(*, actor: User, feedback: Feedback, answer: str) -> Feedback:
    """The agency's or admin's public answer to published feedback."""
    feedback = Feedback.objects.select_for_update().select_related("agreement").get(pk=feedback.pk)
    if not access.can_moderate_feedback(actor, feedback):
        raise PermissionDenied
    answer = (answer or "").strip()
    if feedback.status != FeedbackStatus.PUBLISHED:
        raise ValidationError({"answer": _("Publish the feedback before answering it publicly.")})
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    if len(answer) > settings.PORTAL_FEEDBACK_MAX_CHARS:
        raise ValidationError(
            {"answer": _("At most %(limit)d characters.") % {"limit": settings.PORTAL_FEEDBACK_MAX_CHARS}}
        )
    with acting_as(actor):
        feedback.answer = answer
        feedback.answered_by = actor
        feedback.answered_at = timezone.now()
        feedback.save()
    if feedback.contact_email:
        transaction.on_commit(lambda: _notify_citizen_answered(feedback.pk))
    return feedback


# E-mail (after commit) ------------------------------------------------------------------


def _notify_citizen_received(feedback_id: int, token: str) -> None:
    feedback = Feedback.objects.select_related("agreement").get(pk=feedback_id)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your feedback was received")
        body = _(
            'Thank you for your feedback on "%(title)s". It will appear publicly after moderation.\n\n'
            "Follow it (keep this link private): %(url)s"
        ) % {"title": feedback.agreement.title, "url": settings.SITE_URL + reverse("portal:follow", args=[token])}
    send_mail(subject, body, None, [feedback.contact_email], fail_silently=True)


def _notify_citizen_answered(feedback_id: int) -> None:
    feedback = Feedback.objects.select_related("agreement").get(pk=feedback_id)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your feedback was answered")
        body = _('Your feedback on "%(title)s" has a public answer:\n\n%(answer)s\n\n%(url)s') % {
            "title": feedback.agreement.title,
            "answer": feedback.answer,
            "url": settings.SITE_URL + reverse("portal:agreement", args=[feedback.agreement_id]),
        }
    send_mail(subject, body, None, [feedback.contact_email], fail_silently=True)
