from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "staffwell.core"
    label = "core"

    def ready(self) -> None:
        from django.db.models import IntegerField

        from staffwell.core import logs
        from staffwell.core.db import IntegerFieldIn

        logs.install()
        IntegerField.register_lookup(IntegerFieldIn)
