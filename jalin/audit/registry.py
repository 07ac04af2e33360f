"""Which models the audit trail follows, and which of their fields it records."""

from auditlog.registry import auditlog
from django.apps import apps


def _reverse_relations(model) -> list[str]:
    # Reverse relations (an agreement's documents, renewals...) are not the model's own
    # data: their rows are audited on their own model.
    return [field.name for field in model._meta.get_fields() if field.auto_created and not field.concrete]


def register(app_label: str, model_name: str, exclude=(), **options) -> None:
    model = apps.get_model(app_label, model_name)
    auditlog.register(model, exclude_fields=[*exclude, *_reverse_relations(model)], **options)


def register_models() -> None:
    register("governments", "Government")
    register("governments", "Agency", exclude=["updated_at", "created_at"])
    register("partners", "Partner", exclude=["normalised_name", "updated_at", "created_at"])
    register(
        "agreements",
        "Agreement",
        exclude=["search_text", "updated_at", "created_at"],
        m2m_fields={"affairs", "supporting_agencies"},
    )
    register("agreements", "AgreementParty")
    register("documents", "Document")
    register("accounts", "User", exclude=["password", "last_login"])
