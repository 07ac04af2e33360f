from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from jalin.accounts import access
from jalin.accounts.decorators import staff_required
from jalin.lib.fields import valid_id
from jalin.lib.redirects import redirect_next
from jalin.notifications import calendar, services
from jalin.notifications.models import Notification, Preference, WhatsAppMessage


@staff_required
def notification_list(request):
    preference = services.preference_for(request.user)
    page = Paginator(Notification.objects.filter(user=request.user).select_related("agreement"), 50).get_page(
        request.GET.get("page")
    )
    feed_url = request.build_absolute_uri(reverse("notifications:calendar", args=[preference.calendar_token]))
    failed = list(
        WhatsAppMessage.objects.filter(user=request.user, status=WhatsAppMessage.Status.FAILED)
        .select_related("notification")
        .order_by("-updated_at")[:10]
    )
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "preference": preference,
            "feed_url": feed_url,
            "languages": Preference.Language.choices,
            "failed_whatsapp": failed,
        },
    )


@staff_required
@require_POST
def mark_read(request):
    ids = request.POST.getlist("id") or None
    if ids is not None and not all(valid_id(value) for value in ids):
        return HttpResponseBadRequest(_("Not a valid selection."))
    count = services.notifications_mark_read(actor=request.user, ids=[int(value) for value in ids] if ids else None)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect_next(request, "notifications:list")


@staff_required
@require_POST
def preferences(request):
    try:
        services.preference_update(
            actor=request.user,
            language=request.POST.get("language", ""),
            email_digest=request.POST.get("email_digest") == "on",
            email_at_once=request.POST.get("email_at_once") == "on",
            whatsapp_number=request.POST.get("whatsapp_number", ""),
            whatsapp_opt_in=request.POST.get("whatsapp_opt_in") == "on",
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("notifications:list")
    messages.success(request, _("Preferences saved."))
    return redirect("notifications:list")


@staff_required
@require_POST
def calendar_reset(request):
    services.calendar_token_reset(actor=request.user)
    messages.success(request, _("A new calendar address was made; the old one no longer works."))
    return redirect("notifications:list")


def calendar_feed(request, token):
    """The personal iCalendar feed. No login: the secret token in the address is the key."""
    preference = Preference.objects.select_related("user").filter(calendar_token=token).first()
    if preference is None or not access.is_staff_member(preference.user):
        raise Http404
    with translation.override(preference.language):
        body = calendar.feed(preference.user, timezone.localdate())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@csrf_exempt
def whatsapp_webhook(request):
    """Delivery statuses from the WhatsApp Business Cloud API. GET: Meta verifies the address
    with WHATSAPP_WEBHOOK_VERIFY_TOKEN; POST: statuses, signed with WHATSAPP_APP_SECRET."""
    import hashlib
    import hmac
    import json

    from django.conf import settings

    from jalin.notifications import whatsapp

    if request.method == "GET":
        token = settings.WHATSAPP_WEBHOOK_VERIFY_TOKEN
        if token and request.GET.get("hub.mode") == "subscribe" and request.GET.get("hub.verify_token") == token:
            return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
        return HttpResponse(status=403)
    if request.method != "POST" or not settings.WHATSAPP_APP_SECRET:
        return HttpResponse(status=403)
    expected = "sha256=" + hmac.new(settings.WHATSAPP_APP_SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Hub-Signature-256", "")):
        return HttpResponse(status=403)
    try:
        payload = json.loads(request.body)
    except ValueError:
        return HttpResponse(status=400)
    whatsapp.statuses_record(payload)
    return HttpResponse("ok", content_type="text/plain")
