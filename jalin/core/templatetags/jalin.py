"""Formatting for Indonesian readers: Rupiah amounts and status badges."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def rupiah(value) -> str:
    """1500000000 -> 'Rp 1.500.000.000' (Indonesian grouping, whole rupiah unless there are cents)."""
    if value in (None, ""):
        return "–"
    amount = Decimal(value)
    whole = int(amount)
    cents = int((amount - whole) * 100)
    text = f"{whole:,}".replace(",", ".")
    if cents:
        text += f",{cents:02d}"
    return f"Rp {text}"


@register.filter
def days_phrase(days) -> str:
    if days is None:
        return ""
    if days < 0:
        return ngettext("ended %(days)d day ago", "ended %(days)d days ago", -days) % {"days": -days}
    if days == 0:
        return _("ends today")
    return ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days}


@register.simple_tag(takes_context=True)
def querystring_with(context, **changes) -> str:
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()
