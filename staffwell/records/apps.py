from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "staffwell.records"
    label = "records"
