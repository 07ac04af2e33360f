from django.apps import AppConfig


class LibConfig(AppConfig):
    """Helpers that are not domain; an app so that its template filters load (`{% load jalin %}`),
    its production checks register (`checks.py`) and the input hardening is installed (`fields.py`)."""

    name = "jalin.lib"

    def ready(self) -> None:
        from jalin.lib import checks, fields  # noqa: F401 - checks registers the deploy checks

        fields.install()
