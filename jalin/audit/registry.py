"""Which models the audit trail follows, and which of their fields it records."""

from auditlog.registry import auditlog
from django.apps import apps


def register_models() -> None:
    auditlog.register(apps.get_model("governments", "Agency"))
    auditlog.register(apps.get_model("partners", "Partner"), exclude_fields=["normalised_name", "updated_at"])
    auditlog.register(
        apps.get_model("agreements", "Agreement"),
        m2m_fields={"affairs", "supporting_agencies"},
        exclude_fields=["search_text", "updated_at"],
    )
    auditlog.register(apps.get_model("agreements", "AgreementParty"))
    auditlog.register(apps.get_model("documents", "Document"))
    auditlog.register(
        apps.get_model("accounts", "User"),
        exclude_fields=["password", "last_login"],
    )
