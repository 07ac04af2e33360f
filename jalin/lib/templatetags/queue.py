"""`{% needs_action %}`: the dashboard's first panel ("Perlu tindakan Anda"): the count of
the user's work queue (the header's cached count: no query) with a link to it, and, agency
first, the reports returned to the user (with the reason) and the reports due this period
(jalin.lib.queues; only for those the who-acts-next table names)."""

from django import template
from django.template.loader import render_to_string
from django.utils import timezone

from jalin.lib import queues

register = template.Library()
SHOWN = 5
AGENCY_FIRST = ("reports_returned", "reports_due")


@register.simple_tag(takes_context=True)
def needs_action(context) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    today = timezone.localdate()
    sections = [s for s in queues.sections_for(user, today, keys=AGENCY_FIRST) if s.entries]
    return render_to_string(
        "includes/needs_action.html",
        {
            "sections": [(section, section.entries[:SHOWN], len(section.entries) - SHOWN) for section in sections],
            "count": context.get("inbox_count") or 0,
            "user": user,
            "today": today,
        },
        request=request,
    )
