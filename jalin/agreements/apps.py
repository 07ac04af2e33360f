from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "jalin.agreements"
