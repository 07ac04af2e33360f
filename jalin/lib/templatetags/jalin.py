"""Template filters and tags of Jalin (`{% load jalin %}`): Rupiah, counts (`number`), day counts, query strings."""

from django import template

from jalin.lib import formatting

register = template.Library()

register.filter("rupiah", formatting.rupiah)
register.filter("number", formatting.number)
register.filter("days_phrase", formatting.days_phrase)


@register.simple_tag(takes_context=True)
def querystring_with(context, **changes) -> str:
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()
