from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "staffwell.partnership"
    label = "partnership"
    verbose_name = "Partnership"
