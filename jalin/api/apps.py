from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jalin.api"

    def ready(self) -> None:
        from jalin.api import schema  # noqa: F401  (registers the authentication scheme with drf-spectacular)
