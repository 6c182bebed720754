from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "staffwell.organisations"
    label = "organisations"
    verbose_name = "Organisations and people"
