from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LetterheadsConfig(AppConfig):
    name = "jalin.letterheads"
    verbose_name = _("Letterheads and document templates")

    def ready(self) -> None:
        from jalin.audit.registry import register

        register("letterheads", "GovernmentTemplate")
        register("letterheads", "LetterSettings", exclude=["updated_at"])
