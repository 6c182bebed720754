from django.apps import AppConfig


class WellbeingConfig(AppConfig):
    name = "staffwell.wellbeing"
    label = "wellbeing"
