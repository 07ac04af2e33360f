from django.apps import AppConfig


class LibConfig(AppConfig):
    """Helpers that are not domain; an app so that its template filters load (`{% load jalin %}`)
    and its production checks register (`checks.py`)."""

    name = "jalin.lib"

    def ready(self) -> None:
        from jalin.lib import checks  # noqa: F401 - registers the deploy checks
