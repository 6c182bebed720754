from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "staffwell.core"
    label = "core"

    def ready(self) -> None:
        from staffwell.core import logs

        logs.install()
