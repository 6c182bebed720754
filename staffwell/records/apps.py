from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "staffwell.records"
    label = "records"
    verbose_name = "Staff-owned records"

    def ready(self) -> None:
        from staffwell.organisations.hooks import on_structure_changed
        from staffwell.records import checks  # noqa: F401
        from staffwell.records.services import lapse_grants_to_former_managers, lapse_grants_to_leavers_and_former_reps

        on_structure_changed(lapse_grants_to_former_managers)
        on_structure_changed(lapse_grants_to_leavers_and_former_reps)
