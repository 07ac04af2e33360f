from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "jalin.partners"
