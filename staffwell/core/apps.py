from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "staffwell.core"
    label = "core"
