"""Reminders, notifications and digests.

`reminders_send(today=...)` collects the reminders of every registered source
(jalin.lib.reminders), claims each key once (a unique row: two workers, or a worker
restarted mid-run, never send the same key twice), works out the recipients and writes one
notification per recipient. `digests_send(today=...)` then sends one e-mail per address per
day with everything new. The huey tasks and `manage.py send_reminders` call these.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jalin.accounts import access, actors
from jalin.accounts.events import audit_event
from jalin.accounts.models import Role, User
from jalin.lib import reminders as sources
from jalin.notifications.counters import forget_users
from jalin.notifications.models import Digest, Notification, Preference, SentReminder

LANGUAGES = [code for code, _name in settings.LANGUAGES]


@dataclass(frozen=True)
class Recipient:
    email: str
    user: User | None
    why: str  # "liaison", "agency_head", "admin", "leader", "agency_officer"

    @property
    def label(self) -> str:
        return self.email or (self.user.username if self.user else "?")


@dataclass(frozen=True)
class Line:
    recipient: str
    why: str
    agreement: str
    kind: str
    subject: str
    key: str

    def __str__(self) -> str:
        return f"{self.recipient} ({self.why})\t{self.agreement}\t{self.kind}\t{self.subject}\t[{self.key}]"


class _Directory:
    """Looks people up once per run: admins and leaders per government, users by e-mail."""

    def __init__(self) -> None:
        self._by_role: dict[tuple[int, str], list[User]] = {}
        self._by_email: dict[str, User | None] = {}
        self._officers: dict[int, list[User]] = {}

    def with_role(self, government_id: int, role: str) -> list[User]:
        key = (government_id, role)
        if key not in self._by_role:
            self._by_role[key] = list(
                User.objects.filter(government_id=government_id, role=role, is_active=True).order_by("pk")
            )
        return self._by_role[key]

    def officers(self, agency_id: int) -> list[User]:
        if agency_id not in self._officers:
            self._officers[agency_id] = list(
                User.objects.filter(agency_id=agency_id, role=Role.OPD_OFFICER, is_active=True).order_by("pk")
            )
        return self._officers[agency_id]

    def user_by_email(self, email: str) -> User | None:
        email = email.lower()
        if email not in self._by_email:
            self._by_email[email] = User.objects.filter(email__iexact=email, is_active=True).first()
        return self._by_email[email]


def recipients_for(agreement, *, escalated: bool, directory: _Directory | None = None) -> list[Recipient]:
    """The liaison officer (or, without one, the lead agency's officers), the head of the lead
    agency (its e-mail address), the Bagian Kerja Sama admins; and the leaders when escalated."""
    directory = directory or _Directory()
    people: list[Recipient] = []
    liaison = agreement.liaison_officer if agreement.liaison_officer_id else None
    if liaison is not None and liaison.is_active:
        people.append(Recipient(liaison.email, liaison, "liaison"))
    else:
        people += [Recipient(u.email, u, "agency_officer") for u in directory.officers(agreement.lead_agency_id)]
    head_email = (agreement.lead_agency.email or "").strip()
    if head_email:
        people.append(Recipient(head_email, directory.user_by_email(head_email), "agency_head"))
    people += [Recipient(u.email, u, "admin") for u in directory.with_role(agreement.government_id, Role.ADMIN)]
    if escalated:
        people += [Recipient(u.email, u, "leader") for u in directory.with_role(agreement.government_id, Role.LEADER)]
    unique: list[Recipient] = []
    seen: set = set()
    for person in people:
        identity = (person.email or "").lower() or f"user:{person.user.pk}"
        if identity not in seen:
            seen.add(identity)
            unique.append(person)
    return unique


def recipients_for_state(state: str, agreement, *, escalated: bool, directory=None) -> list[Recipient]:
    """The people the who-acts-next table names for `state` (and the leaders when escalated)."""
    directory = directory or _Directory()
    subject = actors.Subject(
        government_id=agreement.government_id,
        lead_agency_id=agreement.lead_agency_id,
        liaison_id=agreement.liaison_officer_id,
    )
    people = [Recipient(u.email, u, "actor") for u in actors.people(state, subject)]
    if escalated:
        people += [Recipient(u.email, u, "leader") for u in directory.with_role(agreement.government_id, Role.LEADER)]
    return people


def _thread(reminder: sources.Reminder) -> str:
    return str(reminder.extra.get("thread") or f"{reminder.kind}:{reminder.agreement.pk}")


def _collect_in_languages(today: datetime.date) -> tuple[list[sources.Reminder], dict[str, dict[str, list[str]]]]:
    """Collect in the default language; collect again in the others for the texts."""
    with translation.override(settings.LANGUAGE_CODE):
        reminders = sources.collect(today)
    texts: dict[str, dict[str, list[str]]] = {r.key: {settings.LANGUAGE_CODE: [r.subject, r.reason]} for r in reminders}
    for language in LANGUAGES:
        if language == settings.LANGUAGE_CODE:
            continue
        with translation.override(language):
            for reminder in sources.collect(today):
                if reminder.key in texts:
                    texts[reminder.key][language] = [str(reminder.subject), str(reminder.reason)]
    return reminders, texts


def _escalate_after(government_id: int, cache: dict) -> int:
    if government_id not in cache:
        from jalin.workflow.services import settings_for

        cache[government_id] = settings_for(government_id).escalate_after
    return cache[government_id]


def reminders_send(*, today: datetime.date, dry_run: bool = False) -> list[Line]:
    """Send (or, with dry_run, list) every reminder due on `today` that was never sent.
    Returns one line per recipient and reminder."""
    reminders, texts = _collect_in_languages(today)
    already = set(SentReminder.objects.filter(key__in=[r.key for r in reminders]).values_list("key", flat=True))
    directory = _Directory()
    escalate_cache: dict = {}
    lines: list[Line] = []
    seen_keys: set[str] = set()
    for reminder in reminders:
        if reminder.key in already or reminder.key in seen_keys:
            continue
        seen_keys.add(reminder.key)
        thread = _thread(reminder)
        agreement = reminder.agreement
        previous = SentReminder.objects.filter(thread=thread).count()
        escalated = reminder.escalate and previous >= _escalate_after(agreement.government_id, escalate_cache)
        if reminder.state:
            people = recipients_for_state(reminder.state, agreement, escalated=escalated, directory=directory)
        else:
            people = recipients_for(agreement, escalated=escalated, directory=directory)
        if not dry_run and not _claim_and_notify(reminder, thread, escalated, people, texts[reminder.key], today):
            continue  # another worker sent it
        label = f"{agreement.number or f'#{agreement.pk}'} {agreement.title}"
        lines += [Line(p.label, p.why, label, reminder.kind, str(reminder.subject), reminder.key) for p in people]
    return lines


def _claim_and_notify(reminder, thread, escalated, people, texts, today) -> bool:
    """Claim the key and write the notifications in one transaction: if anything fails (or
    the worker dies) nothing is claimed and the next run sends it; if another worker claimed
    it first, the unique key refuses this one."""
    agreement = reminder.agreement
    try:
        with transaction.atomic():
            sent = SentReminder.objects.create(
                key=reminder.key,
                thread=thread,
                agreement=agreement,
                kind=reminder.kind,
                subject=str(reminder.subject)[:300],
                reason=str(reminder.reason),
                due=reminder.due,
                escalated=escalated,
                sent_on=today,
                texts=texts,
            )
            link = reverse("agreements:detail", args=[agreement.pk])
            Notification.objects.bulk_create(
                Notification(
                    user=person.user,
                    email=person.email,
                    government_id=agreement.government_id,
                    agreement=agreement,
                    reminder=sent,
                    kind=reminder.kind,
                    subject=sent.subject,
                    reason=sent.reason,
                    due=reminder.due,
                    escalated=escalated,
                    link=link,
                    texts=texts,
                )
                for person in people
            )
            transaction.on_commit(lambda: forget_users([p.user.pk for p in people if p.user]))
    except IntegrityError:
        return False
    return True


def handover_notify(
    *,
    users,
    key: str,
    government_id: int,
    agreement=None,
    kind: str,
    make_text: Callable,
    link: str = "",
    emails=(),
) -> int:
    """One notification per person for a hand-over, never two for the same key and person
    (a retried task or a double click adds nothing). Each new one is then e-mailed (at once,
    or in the daily digest, as the person chose) and sent on WhatsApp when they opted in, by
    the worker. Returns how many were new."""
    from jalin.notifications import tasks

    texts = _texts(make_text)
    default_subject, default_reason = texts[settings.LANGUAGE_CODE]
    created: list[Notification] = []
    with transaction.atomic():
        already = set(Notification.objects.filter(key=key, user__in=users).values_list("user_id", flat=True))
        known = {user.email.lower() for user in users if user.email}
        mailed = {e.lower() for e in Notification.objects.filter(key=key, user=None).values_list("email", flat=True)}
        addresses = [e for e in dict.fromkeys(emails) if e and e.lower() not in known and e.lower() not in mailed]
        people = [(user, user.email) for user in users if user.pk not in already] + [(None, e) for e in addresses]
        for user, email in people:
            try:
                with transaction.atomic():
                    created.append(
                        Notification.objects.create(
                            user=user,
                            email=email,
                            government_id=government_id,
                            agreement=agreement,
                            kind=kind,
                            key=key,
                            subject=default_subject,
                            reason=default_reason,
                            link=link,
                            texts=texts,
                        )
                    )
            except IntegrityError:
                continue  # a concurrent worker wrote it
        ids = [item.pk for item in created]
        transaction.on_commit(lambda: forget_users([item.user_id for item in created if item.user_id]))
        transaction.on_commit(lambda: [tasks.deliver_notification(pk) for pk in ids])
    return len(created)


def _texts(make_text: Callable) -> dict[str, list[str]]:
    texts = {}
    for language in LANGUAGES:
        with translation.override(language):
            subject, reason = make_text()
            texts[language] = [str(subject)[:300], str(reason)]
    return texts


def absolute(link: str) -> str:
    """A link as the site is served (SITE_URL: `make run` sets it from PORT)."""
    if not link or link.startswith(("http://", "https://")):
        return link
    return settings.SITE_URL.rstrip("/") + link


def notification_deliver(*, notification_id: int) -> dict:
    """E-mail one hand-over notification at once (when the person wants it so) and queue its
    WhatsApp message. The conditional UPDATE is the claim: it is sent once, whatever retries."""
    notification = Notification.objects.select_related("user", "user__notification_preference").get(pk=notification_id)
    user = notification.user
    preference = getattr(user, "notification_preference", None) if user else None
    result = {"email": False, "whatsapp": False}
    wants_email = notification.email and (preference is None or (preference.email_digest and preference.email_at_once))
    if wants_email:
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True, digest__isnull=True).update(
            emailed_at=timezone.now()
        )
        if claimed:
            try:
                handover_message(notification).send()
            except Exception:
                Notification.objects.filter(pk=notification.pk).update(emailed_at=None)  # the digest takes it
                raise
            result["email"] = True
    if user is not None and preference is not None and preference.whatsapp_opt_in and preference.whatsapp_number:
        from jalin.notifications import whatsapp

        result["whatsapp"] = whatsapp.message_queue(notification=notification, preference=preference) is not None
    return result


def handover_message(notification: Notification):
    language = _language_for(notification.user)
    subject, reason = notification.text_in(language)
    with translation.override(language):
        context = {
            "user": notification.user,
            "subject": subject,
            "reason": reason,
            "agreement": notification.agreement,
            "url": absolute(notification.link),
            "notifications_url": absolute(reverse("notifications:list")),
            "inbox_url": absolute(reverse("workflow:inbox")),
        }
        text = render_to_string("notifications/email/handover.txt", context)
    return EmailMultiAlternatives(subject=subject, body=text, to=[notification.email])


# Digests -------------------------------------------------------------------------------


def _language_for(user: User | None) -> str:
    if user is None:
        return settings.LANGUAGE_CODE
    preference = getattr(user, "notification_preference", None)
    return preference.language if preference else settings.LANGUAGE_CODE


def digests_send(*, today: datetime.date, dry_run: bool = False) -> list[str]:
    """One e-mail per address per day with every notification not yet e-mailed. Returns the
    addresses (that were or would be) mailed."""
    opted_out = Preference.objects.filter(email_digest=False).values("user_id")
    pending = (
        Notification.objects.filter(digest__isnull=True, emailed_at__isnull=True)
        .exclude(email="")
        .exclude(user_id__in=opted_out)
        .values_list("email", flat=True)
        .distinct()
    )
    addresses = sorted(set(pending))
    done_today = set(Digest.objects.filter(day=today, email__in=addresses).values_list("email", flat=True))
    mailed = []
    for email in addresses:
        if email in done_today:
            continue  # today's digest went out: these wait for tomorrow's
        if dry_run or _send_digest(email, today):
            mailed.append(email)
    return mailed


def _send_digest(email: str, today: datetime.date) -> bool:
    try:
        with transaction.atomic():
            user = (
                User.objects.filter(email__iexact=email, is_active=True)
                .select_related("notification_preference")
                .first()
            )
            digest = Digest.objects.create(email=email, day=today, user=user)
            items = list(
                Notification.objects.select_for_update(of=("self",))
                .filter(email=email, digest__isnull=True, emailed_at__isnull=True)
                .select_related("agreement")
                .order_by("agreement_id", "-escalated", "due", "pk")
            )
            if not items:
                transaction.set_rollback(True)
                return False
            message = digest_message(email=email, user=user, items=items, today=today)
            message.send()
            Notification.objects.filter(pk__in=[item.pk for item in items]).update(digest=digest)
            digest.items = len(items)
            digest.sent_at = timezone.now()
            digest.save(update_fields=["items", "sent_at"])
    except IntegrityError:
        return False  # another worker is sending (or sent) today's digest for this address
    return True


def digest_message(*, email: str, user: User | None, items: list[Notification], today: datetime.date):
    language = _language_for(user)
    groups: dict = defaultdict(list)
    for item in items:
        groups[item.agreement].append(item)
    with translation.override(language):
        context = {
            "user": user,
            "today": today,
            "groups": [
                {"agreement": agreement, "items": [(item, *item.text_in(language)) for item in rows]}
                for agreement, rows in groups.items()
            ],
            "count": len(items),
            "site_url": settings.SITE_URL.rstrip("/"),
            "notifications_url": settings.SITE_URL.rstrip("/") + reverse("notifications:list"),
            "inbox_url": settings.SITE_URL.rstrip("/") + reverse("workflow:inbox"),
        }
        subject = render_to_string("notifications/email/digest_subject.txt", context).strip()
        text = render_to_string("notifications/email/digest.txt", context)
        html = render_to_string("notifications/email/digest.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[email])
    message.attach_alternative(html, "text/html")
    return message


def run_daily(*, today: datetime.date | None = None) -> tuple[list[Line], list[str]]:
    """What the scheduler runs every day: reminders, then digests."""
    today = today or timezone.localdate()
    lines = reminders_send(today=today)
    return lines, digests_send(today=today)


# The notification centre -----------------------------------------------------------------


def preference_for(user: User) -> Preference:
    preference, _created = Preference.objects.get_or_create(user=user)
    return preference


@transaction.atomic
def preference_update(
    *,
    actor: User,
    language: str,
    email_digest: bool,
    email_at_once: bool | None = None,
    whatsapp_number: str | None = None,
    whatsapp_opt_in: bool | None = None,
) -> Preference:
    """Save the actor's preferences. WhatsApp needs a number in international form and an
    explicit opt-in; without the opt-in nothing is sent there."""
    from jalin.notifications.whatsapp import valid_number

    if not access.is_staff_member(actor):
        raise PermissionDenied
    preference = preference_for(actor)
    fields = ["language", "email_digest"]
    preference.language = language if language in LANGUAGES else settings.LANGUAGE_CODE
    preference.email_digest = bool(email_digest)
    if email_at_once is not None:
        preference.email_at_once = bool(email_at_once)
        fields.append("email_at_once")
    if whatsapp_number is not None:
        number = "".join(whatsapp_number.split()).replace("-", "")
        if number.startswith("08"):
            number = "+62" + number[1:]  # an Indonesian mobile number as people write it
        if number and not valid_number(number):
            raise ValidationError(
                {"whatsapp_number": _("Enter the WhatsApp number in international form, e.g. +6281234567890.")}
            )
        if whatsapp_opt_in and not number:
            raise ValidationError({"whatsapp_number": _("Enter a WhatsApp number to receive messages there.")})
        preference.whatsapp_number = number
        preference.whatsapp_opt_in = bool(whatsapp_opt_in) and bool(number)
        fields += ["whatsapp_number", "whatsapp_opt_in"]
    preference.save(update_fields=fields)
    audit_event(
        actor,
        "notification_preferences_changed",
        _("Notification preferences changed: e-mail language %(language)s, daily digest %(digest)s")
        % {"language": preference.language, "digest": _("on") if preference.email_digest else _("off")},
        actor=actor,
    )
    return preference


@transaction.atomic
def calendar_token_reset(*, actor: User) -> Preference:
    """A new secret for the calendar feed: the old address stops working."""
    from jalin.notifications.models import new_token

    if not access.is_staff_member(actor):
        raise PermissionDenied
    preference = preference_for(actor)
    preference.calendar_token = new_token()
    preference.save(update_fields=["calendar_token"])
    audit_event(
        actor, "calendar_token_reset", _("Calendar feed address renewed (the old one stopped working)"), actor=actor
    )
    return preference


def notifications_mark_read(*, actor: User, ids=None) -> int:
    """Mark the actor's notifications read (all of them when `ids` is None)."""
    if not access.is_staff_member(actor):
        raise PermissionDenied
    mine = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        mine = mine.filter(pk__in=list(ids))
    count = mine.update(read_at=timezone.now())
    forget_users([actor.pk])
    return count


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def visible_notifications(user: User):
    return Notification.objects.filter(Q(user=user)).select_related("agreement")
