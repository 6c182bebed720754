from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "staffwell.demo"
    label = "demo"
