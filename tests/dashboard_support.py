"""Comparing dashboards: everything a dashboard shows, in comparable form."""

from jalin.monitoring import selectors


def figures(data: selectors.Dashboard) -> dict:
    """Everything the dashboard shows, in comparable form."""
    return {
        "statuses": [(r["key"], r["count"], r["value"]) for r in data.statuses],
        "categories": [(r["key"], r["count"], r["value"]) for r in data.categories],
        "partner_types": [(r["key"], r["count"], r["value"]) for r in data.partner_types],
        "affairs": [(r["affair_id"], r["count"], r["value"]) for r in data.affairs],
        "agencies": [(r["lead_agency_id"], r["count"], r["value"]) for r in data.agencies],
        "timeline": [(r["key"], r["count"]) for r in data.timeline],
        "signals": [(r["key"], r["count"]) for r in data.signals],
        "worst": [(a.pk, a.health_score) for a in data.worst],
        "money": (data.beneficiaries, data.planned, data.realised),
        "league": [
            (r["lead_agency_id"], r["expected"], r["on_time"], r["submitted"], r["verified"], r["rate"])
            for r in data.league
        ],
        "governments": [
            (r["government__code"], r["total"], r["in_force"], r["value"], r["beneficiaries"], r["paper_only"])
            for r in data.governments
        ],
    }
