from django.apps import AppConfig


class PassportsConfig(AppConfig):
    name = "staffwell.passports"
    label = "passports"
