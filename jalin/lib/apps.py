from django.apps import AppConfig


class LibConfig(AppConfig):
    """Helpers that are not domain; an app only so that its template filters load (`{% load jalin %}`)."""

    name = "jalin.lib"
