from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "staffwell.assessments"
    label = "assessments"

    def ready(self):
        from staffwell.assessments import agreements

        agreements.register()
