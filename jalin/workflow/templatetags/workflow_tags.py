from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def workflow_panel(context, agreement) -> str:
    """The workflow section of the agreement detail page (empty until the workflow app fills it)."""
    return ""
