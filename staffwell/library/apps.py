from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "staffwell.library"
    label = "library"
