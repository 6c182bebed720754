from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "staffwell.surveys"
    label = "surveys"

    def ready(self) -> None:
        from staffwell.surveys import agreements

        agreements.register()
