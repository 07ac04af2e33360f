from django import template
from django.template.loader import render_to_string

from jalin.accounts import access as accounts_access
from jalin.monitoring import access, selectors
from jalin.monitoring.health import health_of, renewal_of, signals_of
from jalin.monitoring.models import BeneficiaryGroup, Evaluation

register = template.Library()


@register.filter
def beneficiary_group(value) -> str:
    try:
        return str(BeneficiaryGroup(value).label)
    except ValueError:
        return value


@register.simple_tag(takes_context=True)
def monitoring_panel(context, agreement) -> str:
    """The monitoring section of the agreement detail page: health signals with their reasons,
    the results framework, the latest reports and evaluation, and what the user may do."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not accounts_access.is_staff_member(user):
        return ""
    health = health_of(agreement.pk)
    return render_to_string(
        "monitoring/panel.html",
        {
            "agreement": agreement,
            "framework": selectors.agreement_framework(agreement),
            "signals": signals_of(health) if health else [],
            "renewal": renewal_of(health) if health else None,
            "reports": selectors.latest_reports(agreement, limit=4),
            "evaluation": Evaluation.objects.filter(agreement=agreement).order_by("-created_at", "-id").first(),
            "can_report": access.can_report(user, agreement),
            "can_verify": access.can_verify(user, agreement),
        },
        request=request,
    )


@register.simple_tag(takes_context=True)
def monitoring_public_panel(context, agreement) -> str:
    """What the public portal shows of an agreement's results: only data marked public and
    only verified figures (obligations, indicators, beneficiaries from verified reports,
    verified evidence photos marked public, the latest published evaluation). Nothing for an
    agreement that is not published."""
    if not accounts_access.is_published(agreement):
        return ""
    return render_to_string(
        "monitoring/public_panel.html",
        {
            "agreement": agreement,
            "framework": selectors.agreement_framework(agreement, public=True),
            "photos": selectors.public_evidence(agreement),
            "evaluation": selectors.latest_published_evaluation(agreement),
        },
        request=context.get("request"),
    )
