from django.apps import AppConfig


class GovernmentsConfig(AppConfig):
    name = "jalin.governments"
