from django.apps import AppConfig


class SuppressionConfig(AppConfig):
    name = "staffwell.suppression"
    label = "suppression"
    verbose_name = "Suppression"
