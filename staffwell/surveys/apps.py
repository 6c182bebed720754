from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "staffwell.surveys"
    label = "surveys"
