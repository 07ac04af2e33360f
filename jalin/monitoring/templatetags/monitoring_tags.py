from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def monitoring_panel(context, agreement) -> str:
    """The monitoring section of the agreement detail page (empty until the monitoring app fills it)."""
    return ""
