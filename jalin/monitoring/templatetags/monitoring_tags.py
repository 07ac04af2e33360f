from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def monitoring_panel(context, agreement) -> str:
    """The monitoring section of the agreement detail page (empty until the monitoring app fills it)."""
    return ""


@register.simple_tag(takes_context=True)
def monitoring_public_panel(context, agreement) -> str:
    """What the public portal shows of an agreement's results: only data marked public
    (obligations, indicators, beneficiaries, public evidence photos, the latest published
    evaluation). Empty until the monitoring app fills it."""
    return ""
