from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "staffwell.reporting"
    label = "reporting"
