from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "jalin.imports"
    verbose_name = _("Register import")

    def ready(self) -> None:
        from jalin.audit.registry import register

        register("imports", "RegisterImport")
