from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jalin.audit"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from jalin.audit import registry, revisions
        from jalin.audit.models import AuditEntry

        registry.register_models()
        post_save.connect(revisions.on_audit_entry_saved, sender=AuditEntry, dispatch_uid="audit-government-revision")
