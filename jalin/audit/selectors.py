from django.db.models import QuerySet

from jalin.agreements.models import Agreement
from jalin.audit.models import AuditEntry


def audit_entries_for_agreement(agreement: Agreement) -> QuerySet:
    return AuditEntry.objects.filter(agreement=agreement).select_related("actor", "content_type").order_by("-timestamp")


def audit_entries_for_government(government_id: int) -> QuerySet:
    return (
        AuditEntry.objects.filter(government_id=government_id)
        .select_related("actor", "content_type", "agreement")
        .order_by("-timestamp", "-pk")
    )
