from django.apps import AppConfig


class AbsenceConfig(AppConfig):
    name = "staffwell.absence"
    label = "absence"
    verbose_name = "Sickness absence"
