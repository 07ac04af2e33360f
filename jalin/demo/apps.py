from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "jalin.demo"
    label = "demo"
