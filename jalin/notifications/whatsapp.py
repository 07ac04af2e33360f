"""WhatsApp as a notification channel, beside in-app and e-mail.

A person who entered a phone number and opted in (their notification preferences) gets
each hand-over on WhatsApp as an approved template message of the WhatsApp Business Cloud
API. The message is queued (`WhatsAppMessage`, one per notification) and sent by the worker,
never in the request that handed the work over; a failure is retried
(WHATSAPP_MAX_ATTEMPTS), then recorded as failed and shown on the person's notification page.

The backend is pluggable like Django's e-mail backends (WHATSAPP_BACKEND):

- `ConsoleBackend` (the default) prints the message;
- `CloudAPIBackend` posts it to `{WHATSAPP_API_URL}/{WHATSAPP_PHONE_NUMBER_ID}/messages`
  with the bearer token WHATSAPP_TOKEN.

The template (WHATSAPP_TEMPLATE, default `jalin_handover`) must be approved in the Meta
business account with three body parameters: the subject, the reason and the link.
"""

import json
import logging
import re
import sys
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from jalin.notifications.models import Notification, Preference, WhatsAppMessage

log = logging.getLogger(__name__)
PHONE = re.compile(r"^\+[1-9][0-9]{7,14}$")
LANGUAGE_CODES = {"id": "id", "en": "en"}


class DeliveryError(Exception):
    pass


class ConsoleBackend:
    def send(self, *, to: str, template: str, language: str, parameters: list[str]) -> str:
        sys.stdout.write(f"[whatsapp] to {to} template {template} ({language}): {' | '.join(parameters)}\n")
        return "console"


class CloudAPIBackend:
    """The WhatsApp Business Cloud API: one template message per call."""

    def send(self, *, to: str, template: str, language: str, parameters: list[str]) -> str:
        if not (settings.WHATSAPP_TOKEN and settings.WHATSAPP_PHONE_NUMBER_ID):
            raise DeliveryError("WHATSAPP_TOKEN and WHATSAPP_PHONE_NUMBER_ID must be set")
        body = {
            "messaging_product": "whatsapp",
            "to": to.lstrip("+"),
            "type": "template",
            "template": {
                "name": template,
                "language": {"code": language},
                "components": [{"type": "body", "parameters": [{"type": "text", "text": text} for text in parameters]}],
            },
        }
        url = f"{settings.WHATSAPP_API_URL.rstrip('/')}/{settings.WHATSAPP_PHONE_NUMBER_ID}/messages"
        if not url.startswith(("https://", "http://")):
            raise DeliveryError("WHATSAPP_API_URL must be an http(s) address")
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            url,
            data=json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {settings.WHATSAPP_TOKEN}", "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.WHATSAPP_TIMEOUT_SECONDS) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")[:500]
            raise DeliveryError(f"HTTP {error.code}: {detail}") from error
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            raise DeliveryError(str(error)) from error
        try:
            return str(answer["messages"][0]["id"])
        except (KeyError, IndexError, TypeError) as error:
            raise DeliveryError(f"unexpected answer: {str(answer)[:300]}") from error


def backend():
    return import_string(settings.WHATSAPP_BACKEND)()


def valid_number(number: str) -> bool:
    return bool(PHONE.match(number or ""))


def _parameters(notification: Notification, language: str) -> list[str]:
    from jalin.notifications.services import absolute

    subject, reason = notification.text_in(language)
    # Template parameters may not hold new lines or more than four spaces in a row.
    clean = [" ".join(str(text).split())[:900] for text in (subject, reason)]
    return [*clean, absolute(notification.link) or settings.SITE_URL]


def message_queue(*, notification: Notification, preference: Preference) -> WhatsAppMessage | None:
    """Queue the WhatsApp message of a notification (once: one per notification)."""
    from jalin.notifications import tasks

    if not (preference.whatsapp_opt_in and valid_number(preference.whatsapp_number)):
        return None
    language = preference.language
    message, created = WhatsAppMessage.objects.get_or_create(
        notification=notification,
        defaults={
            "user_id": notification.user_id,
            "to": preference.whatsapp_number,
            "template": settings.WHATSAPP_TEMPLATE,
            "language": LANGUAGE_CODES.get(language, language),
            "parameters": _parameters(notification, language),
        },
    )
    if created:
        transaction.on_commit(lambda: tasks.send_whatsapp(message.pk))
    return message


def message_send(*, message_id: int) -> str:
    """Send one queued message. Claims it (queued → sending attempt) with a conditional UPDATE so
    that two workers never send it twice; raises on failure so that the task queue retries it."""
    from django.db.models import F

    claimed = WhatsAppMessage.objects.filter(
        pk=message_id, status__in=(WhatsAppMessage.Status.QUEUED, WhatsAppMessage.Status.FAILED)
    ).filter(attempts__lt=settings.WHATSAPP_MAX_ATTEMPTS)
    if not claimed.update(attempts=F("attempts") + 1):
        return "skipped"
    message = WhatsAppMessage.objects.get(pk=message_id)
    try:
        provider_id = backend().send(
            to=message.to, template=message.template, language=message.language, parameters=message.parameters
        )
    except DeliveryError as error:
        WhatsAppMessage.objects.filter(pk=message.pk).update(status=WhatsAppMessage.Status.FAILED, error=str(error))
        log.warning("WhatsApp message %s failed (attempt %s): %s", message.pk, message.attempts, error)
        raise
    WhatsAppMessage.objects.filter(pk=message.pk).update(
        status=WhatsAppMessage.Status.SENT, provider_id=provider_id, error=""
    )
    return provider_id


STATUS_FROM_PROVIDER = {
    "sent": WhatsAppMessage.Status.SENT,
    "delivered": WhatsAppMessage.Status.DELIVERED,
    "read": WhatsAppMessage.Status.READ,
    "failed": WhatsAppMessage.Status.FAILED,
}


def statuses_record(payload: dict) -> int:
    """Record the delivery statuses of a Cloud API webhook call. Returns how many were updated."""
    updated = 0
    for entry in payload.get("entry") or []:
        for change in entry.get("changes") or []:
            for item in (change.get("value") or {}).get("statuses") or []:
                status = STATUS_FROM_PROVIDER.get(item.get("status"))
                if status and item.get("id"):
                    errors = "; ".join(str(e.get("title") or e) for e in item.get("errors") or [])
                    updated += WhatsAppMessage.objects.filter(provider_id=item["id"]).update(
                        status=status, **({"error": errors} if errors else {})
                    )
    return updated
