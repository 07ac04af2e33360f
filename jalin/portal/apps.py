from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "jalin.portal"

    def ready(self) -> None:
        from jalin.audit.registry import register

        register(
            "portal",
            "Feedback",
            exclude=["sender_hash", "message_hash", "follow_token_hash", "updated_at", "created_at"],
        )
