"""Formatting for Indonesian readers: Rupiah amounts, counts and day counts (also used outside templates)."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


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


def number(value, decimals: int = 0) -> str:
    """30620 -> '30.620', 12.5 -> '12,5' (Indonesian separators in every language); None -> '–'."""
    if value in (None, "") or isinstance(value, bool):
        return "–"
    text = f"{Decimal(value):,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def days_phrase(days) -> str:
    if days is None:
        return ""
    if days < 0:
        return ngettext("ended %(days)d day ago", "ended %(days)d days ago", -days) % {"days": -days}
    if days == 0:
        return _("ends today")
    return ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days}
