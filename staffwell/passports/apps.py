from django.apps import AppConfig


class PassportsConfig(AppConfig):
    name = "staffwell.passports"
    label = "passports"
    verbose_name = "Passports"

    def ready(self) -> None:
        from django.urls import reverse

        from staffwell.organisations.hooks import on_structure_changed
        from staffwell.passports import manager_mail, services
        from staffwell.passports.models import SECTIONS, Passport
        from staffwell.records.registry import Kind, OwnerData, register_kind, register_owner_data

        register_kind(
            Kind(
                key=services.KIND_KEY,
                model=Passport,
                noun="passport",
                sections=lambda p: list(SECTIONS),
                describe=lambda p: p.get_kind_display(),
                detail_url=lambda p: reverse("passports:detail", kwargs={"passport_id": p.pk}),
                shared_url=lambda p: reverse("passports:shared_detail", kwargs={"passport_id": p.pk}),
                # A grant to a former line manager lapses like every record's, confirmed or
                # not; the owner is then asked whether to share with the new manager
                # (services.review_manager_changes).
                on_shared=lambda grant: manager_mail.shared_with_you(grant),
            )
        )
        register_owner_data(
            OwnerData(
                key="passports",
                title="My passports",
                export=services.export_for_user,
                erase=services.erase_for_user,
                order=60,
            )
        )
        on_structure_changed(services.review_manager_changes)
