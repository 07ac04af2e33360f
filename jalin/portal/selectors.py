"""Reads for the public portal, open data and the public API.

Everything public starts from `published_agreements()`: live (not archived), marked public
and signed (drafts are never public). Only the fields listed in PUBLIC_AGREEMENT_FIELDS
leave the server; liaison officers, signatories' names, internal references and notes,
partner contact details and documents never do.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import BigIntegerField, Case, Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, When
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from jalin.accounts import access
from jalin.agreements.models import Agreement, AgreementParty, Status, status_q
from jalin.governments.models import Government
from jalin.portal.models import Feedback, FeedbackStatus

# The agreement fields that are public, in the order open data lists them.
PUBLIC_AGREEMENT_FIELDS = (
    "id",
    "government_code",
    "government_name",
    "number",
    "title",
    "category",
    "kind",
    "status",
    "object",
    "scope",
    "affairs",
    "lead_agency",
    "supporting_agencies",
    "partners",
    "signed_on",
    "effective_on",
    "ends_on",
    "financing",
    "value",
    "intended_benefits",
    "terminated_on",
    "termination_ground",
    "parent_id",
    "predecessor_id",
    "published_feedback",
    "updated_at",
    "url",
)


def published_agreements(government: Government | None = None) -> QuerySet:
    queryset = access.published_agreements()
    if government is not None:
        queryset = queryset.filter(government=government)
    return queryset


def with_public_relations(queryset: QuerySet) -> QuerySet:
    """What public lists show, in a fixed number of queries: no personal fields are loaded."""
    return (
        queryset.select_related("government", "lead_agency")
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=AgreementParty.objects.select_related("partner").only(
                    "id",
                    "agreement_id",
                    "party_number",
                    "signatory_title",
                    "position",
                    "partner__id",
                    "partner__name",
                    "partner__partner_type",
                    "partner__country",
                ),
            ),
            "affairs",
            "supporting_agencies",
        )
        .annotate(
            # a subquery, not a join and GROUP BY: only the rows of the page are counted
            published_feedback=Coalesce(
                Subquery(
                    Feedback.objects.filter(agreement_id=OuterRef("pk"), status=FeedbackStatus.PUBLISHED)
                    .values("agreement_id")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            ),
            public_parent_id=_public_link("parent"),
            public_predecessor_id=_public_link("predecessor"),
        )
        .with_status()
    )


def _public_link(field: str):
    """The id of the linked agreement only when that agreement is itself published."""
    return Case(
        When(access.published_q(field), then=F(f"{field}_id")),
        default=None,
        output_field=BigIntegerField(),
    )


def public_agreement(pk, government: Government | None = None) -> Agreement:
    """One published agreement with what its public page shows; DoesNotExist otherwise."""
    return with_public_relations(published_agreements(government)).get(pk=pk)


def public_children(agreement: Agreement) -> list[Agreement]:
    return list(published_agreements().filter(parent=agreement).with_status().order_by("signed_on", "pk"))


def portal_governments() -> list[Government]:
    """Governments that have at least one published agreement (the government picker)."""
    return list(
        Government.objects.filter(
            pk__in=published_agreements().values("government_id"),
        )
        .annotate(published=Count("agreements", filter=Q(agreements__in=published_agreements()), distinct=True))
        .order_by("code")
    )


def home_figures(government: Government | None = None, today: datetime.date | None = None) -> dict:
    """Key figures and chart data of the portal home, in a fixed number of queries."""
    today = today or timezone.localdate()
    published = published_agreements(government)
    totals = published.aggregate(
        total=Count("pk"),
        in_force=Count("pk", filter=status_q(Status.ACTIVE, today) | status_q(Status.EXPIRING, today)),
        ended=Count("pk", filter=status_q(Status.EXPIRED, today) | status_q(Status.TERMINATED, today)),
        value=Sum("value"),
    )
    ids = published.values("pk")
    by_affair = list(
        Agreement.affairs.through.objects.filter(agreement_id__in=ids)
        .values("affair__code", "affair__name")
        .annotate(count=Count("agreement_id", distinct=True))
        .order_by("-count", "affair__code")[:12]
    )
    by_partner_type = list(
        AgreementParty.objects.filter(agreement_id__in=ids)
        .values("partner__partner_type")
        .annotate(count=Count("agreement_id", distinct=True))
        .order_by("-count", "partner__partner_type")
    )
    by_year = list(
        published.annotate(year=ExtractYear("signed_on"))
        .values("year")
        .annotate(count=Count("pk"), value=Sum("value"))
        .order_by("-year")[:10]
    )
    partner_count = AgreementParty.objects.filter(agreement_id__in=ids).values("partner_id").distinct().count()
    newest = list(with_public_relations(published).order_by("-signed_on", "-pk")[:5])
    ending = list(
        with_public_relations(published.expiring_within(settings.EXPIRING_WITHIN_DAYS, today)).order_by(
            "ends_on", "pk"
        )[:5]
    )
    return {
        "totals": totals,
        "partner_count": partner_count,
        "by_affair": by_affair,
        "by_partner_type": by_partner_type,
        "by_year": by_year,
        "chart_max": {
            "affair": max((row["count"] for row in by_affair), default=0),
            "partner_type": max((row["count"] for row in by_partner_type), default=0),
            "year": max((row["count"] for row in by_year), default=0),
        },
        "newest": newest,
        "ending": ending,
        "feedback": feedback_counts([government.pk] if government else None, public_only=True),
    }


def public_feedback(agreement: Agreement) -> list[Feedback]:
    """Moderated feedback of an agreement, with answers; no contact details are loaded."""
    return list(
        Feedback.objects.filter(agreement=agreement, status=FeedbackStatus.PUBLISHED)
        .only("id", "agreement_id", "kind", "message", "photo", "answer", "answered_at", "created_at", "status")
        .order_by("-created_at", "-pk")[:50]
    )


def feedback_counts(government_ids=None, *, public_only: bool = False) -> dict[str, int]:
    """Feedback counts for the dashboard (of the given governments; all when None), in one query:
    total, pending (awaiting moderation), published, rejected and unanswered (published, no answer)."""
    queryset = Feedback.objects.all()
    if government_ids is not None:
        queryset = queryset.filter(government_id__in=government_ids)
    if public_only:
        queryset = queryset.filter(status=FeedbackStatus.PUBLISHED)
    return count_feedback(queryset)


def count_feedback(queryset: QuerySet) -> dict[str, int]:
    return queryset.aggregate(
        total=Count("pk"),
        pending=Count("pk", filter=Q(status=FeedbackStatus.PENDING)),
        published=Count("pk", filter=Q(status=FeedbackStatus.PUBLISHED)),
        rejected=Count("pk", filter=Q(status=FeedbackStatus.REJECTED)),
        unanswered=Count("pk", filter=Q(status=FeedbackStatus.PUBLISHED, answer="")),
    )


def public_record(agreement: Agreement, base_url: str = "") -> dict:
    """The open-data record of one agreement (built from a `with_public_relations` row)."""
    from django.urls import reverse

    return {
        "id": agreement.pk,
        "government_code": agreement.government.code,
        "government_name": agreement.government.name,
        "number": agreement.number,
        "title": agreement.title,
        "category": agreement.category,
        "kind": agreement.kind,
        "status": str(agreement.status.value),
        "object": agreement.object,
        "scope": agreement.scope,
        "affairs": [{"code": affair.code, "name": affair.name} for affair in agreement.affairs.all()],
        "lead_agency": agreement.lead_agency.name,
        "supporting_agencies": [agency.name for agency in agreement.supporting_agencies.all()],
        "partners": [
            {
                "name": party.partner.name,
                "type": party.partner.partner_type,
                "country": party.partner.country,
                "party_number": party.party_number,
                "signatory_title": party.signatory_title,
            }
            for party in agreement.parties.all()
        ],
        "signed_on": agreement.signed_on.isoformat() if agreement.signed_on else None,
        "effective_on": agreement.effective_on.isoformat() if agreement.effective_on else None,
        "ends_on": agreement.ends_on.isoformat() if agreement.ends_on else None,
        "financing": agreement.financing,
        "value": str(agreement.value) if agreement.value is not None else None,
        "intended_benefits": agreement.intended_benefits,
        "terminated_on": agreement.terminated_on.isoformat() if agreement.terminated_on else None,
        "termination_ground": agreement.termination_ground,
        "parent_id": getattr(agreement, "public_parent_id", None),
        "predecessor_id": getattr(agreement, "public_predecessor_id", None),
        "published_feedback": getattr(agreement, "published_feedback", 0),
        "updated_at": agreement.updated_at.isoformat(),
        "url": base_url + reverse("portal:agreement", args=[agreement.pk]),
    }


# Results (open data) ----------------------------------------------------------------------

# The fields of one results record, in the order open data lists them.
PUBLIC_RESULT_FIELDS = (
    "agreement_id",
    "government_code",
    "title",
    "progress",
    "obligations",
    "indicators",
    "beneficiaries_total",
    "beneficiaries_by_group",
    "evaluation_period",
    "evaluation_recommendation",
    "evaluation_published_at",
    "url",
)
RESULTS_CHUNK = 200


def _number(value) -> str | None:
    return None if value is None else str(value)


def public_results(government: Government | None = None, base_url: str = "", chunk_size: int = RESULTS_CHUNK):
    """The public monitoring results of every published agreement, one record per agreement,
    yielded chunk by chunk (keyset pagination on the id): memory stays bounded and each chunk
    costs at most six queries (agreements, obligations, indicators, their periods,
    beneficiaries, evaluations) whatever its size.

    It applies exactly the public rules of the portal's results panel
    (`jalin.monitoring.selectors.agreement_framework(public=True)` and
    `latest_published_evaluation`): live obligations and indicators marked public (an
    indicator under an obligation only when that obligation is public too), beneficiaries
    from verified reports only, the latest *published* evaluation's period and
    recommendation (never its notes)."""
    from django.urls import reverse

    from jalin.monitoring.models import Beneficiary, Evaluation, Indicator, IndicatorPeriod, Obligation, ReportStatus
    from jalin.monitoring.selectors import roll_up

    last = 0
    while True:
        agreements = list(
            published_agreements(government)
            .filter(pk__gt=last)
            .select_related("government")
            .only("id", "title", "government__code")
            .order_by("pk")[:chunk_size]
        )
        if not agreements:
            return
        last = agreements[-1].pk
        ids = [agreement.pk for agreement in agreements]
        obligations: dict[int, list] = {}
        for obligation in (
            Obligation.objects.filter(agreement_id__in=ids, archived_at__isnull=True, is_public=True)
            .select_related("agency")
            .order_by("pk")
        ):
            obligations.setdefault(obligation.agreement_id, []).append(obligation)
        indicators: dict[int, list] = {}
        for indicator in (
            Indicator.objects.filter(agreement_id__in=ids, archived_at__isnull=True, is_public=True)
            .filter(Q(obligation__isnull=True) | Q(obligation__is_public=True))
            .prefetch_related(Prefetch("periods", queryset=IndicatorPeriod.objects.order_by("starts_on")))
            .order_by("pk")
        ):
            indicators.setdefault(indicator.agreement_id, []).append(indicator)
        beneficiaries: dict[int, list] = {}
        for row in (
            Beneficiary.objects.filter(report__agreement_id__in=ids, report__status=ReportStatus.VERIFIED)
            .values("report__agreement_id", "group")
            .annotate(total=Sum("count"))
            .order_by("report__agreement_id", "group")
        ):
            beneficiaries.setdefault(row["report__agreement_id"], []).append(
                {"group": row["group"], "total": row["total"]}
            )
        evaluations: dict[int, Evaluation] = {}
        for evaluation in (
            Evaluation.objects.filter(agreement_id__in=ids, published_at__isnull=False)
            .only("id", "agreement_id", "period", "recommendation", "created_at", "published_at")
            .order_by("agreement_id", "-created_at", "-pk")
        ):
            evaluations.setdefault(evaluation.agreement_id, evaluation)
        for agreement in agreements:
            framework = roll_up(obligations.get(agreement.pk, []), indicators.get(agreement.pk, []))
            rows = [(row, row.obligation.description) for row in framework.obligations]
            indicator_rows = [item for row in framework.obligations for item in row.indicators]
            indicator_rows += framework.loose_indicators
            groups = beneficiaries.get(agreement.pk, [])
            evaluation = evaluations.get(agreement.pk)
            yield {
                "agreement_id": agreement.pk,
                "government_code": agreement.government.code,
                "title": agreement.title,
                "progress": _number(framework.progress),
                "obligations": [
                    {
                        "description": description,
                        "responsible": "partner"
                        if row.obligation.party == "partner"
                        else (row.obligation.agency.name if row.obligation.agency else row.obligation.party),
                        "due_on": row.obligation.due_on.isoformat() if row.obligation.due_on else None,
                        "status": row.obligation.status,
                        "met_on": row.obligation.met_on.isoformat() if row.obligation.met_on else None,
                        "progress": _number(row.progress),
                    }
                    for row, description in rows
                ],
                "indicators": [
                    {
                        "name": item.indicator.name,
                        "type": item.indicator.indicator_type,
                        "unit": item.indicator.unit,
                        "baseline": _number(item.indicator.baseline_value),
                        "target": _number(item.indicator.target_value),
                        "actual": _number(item.latest_actual),
                        "progress": _number(item.progress.quantize(Decimal("0.1"))),
                    }
                    for item in indicator_rows
                ],
                "beneficiaries_total": sum(group["total"] for group in groups),
                "beneficiaries_by_group": groups,
                "evaluation_period": evaluation.period if evaluation else None,
                "evaluation_recommendation": evaluation.recommendation if evaluation else None,
                "evaluation_published_at": evaluation.published_at.isoformat() if evaluation else None,
                "url": base_url + reverse("portal:agreement", args=[agreement.pk]),
            }
