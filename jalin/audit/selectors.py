from django.db.models import Model, QuerySet

from jalin.audit.models import AuditEntry


def audit_entries_for_agreement(agreement: Model) -> QuerySet:
    return (
        AuditEntry.objects.filter(agreement=agreement)
        .select_related("actor", "content_type", "government")
        .order_by("-timestamp")
    )


def audit_entries_for_government(government_id: int) -> QuerySet:
    return (
        AuditEntry.objects.filter(government_id=government_id)
        .select_related("actor", "content_type", "agreement", "government")
        .order_by("-timestamp", "-pk")
    )
