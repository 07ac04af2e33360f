from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jalin.audit"

    def ready(self) -> None:
        from jalin.audit import registry, revisions

        registry.register_models()
        revisions.connect()
