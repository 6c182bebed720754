from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "staffwell.core"
    label = "core"

    def ready(self):
        from django.db.models import IntegerField

        from staffwell.core.db import IntegerFieldIn

        IntegerField.register_lookup(IntegerFieldIn)
