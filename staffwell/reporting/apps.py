from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "staffwell.reporting"
    label = "reporting"

    def ready(self) -> None:
        from staffwell.reporting import services

        services.register()
