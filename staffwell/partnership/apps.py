from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "staffwell.partnership"
    label = "partnership"
    verbose_name = "Partnership"

    def ready(self):
        from staffwell.organisations.hooks import on_structure_changed
        from staffwell.partnership.services import lapse_agreements_of_former_partners

        on_structure_changed(lapse_agreements_of_former_partners)
