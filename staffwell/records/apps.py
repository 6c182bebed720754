from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "staffwell.records"
    label = "records"
    verbose_name = "Staff-owned records"

    def ready(self) -> None:
        from staffwell.records import checks  # noqa: F401
