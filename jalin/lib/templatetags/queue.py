"""`{% needs_action %}`: the dashboard's first panel ("Perlu tindakan Anda"), the head of
the user's work queue (jalin.lib.queues) with its count and a link to the whole queue."""

from django import template
from django.template.loader import render_to_string
from django.utils import timezone

from jalin.lib import queues

register = template.Library()
SHOWN = 5


@register.simple_tag(takes_context=True)
def needs_action(context) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    today = timezone.localdate()
    sections = [s for s in queues.sections_for(user, today) if s.context.get("counts", True) and s.entries]
    return render_to_string(
        "includes/needs_action.html",
        {
            "sections": [(section, section.entries[:SHOWN], len(section.entries) - SHOWN) for section in sections],
            "count": sum(len(section.entries) for section in sections),
            "user": user,
            "today": today,
        },
        request=request,
    )
