from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "staffwell.assessments"
    label = "assessments"
