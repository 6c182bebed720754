from django.apps import AppConfig


class AbsenceConfig(AppConfig):
    name = "staffwell.absence"
    label = "absence"
    verbose_name = "Sickness absence"

    def ready(self) -> None:
        from staffwell.absence import triggers

        triggers.register()
