from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "staffwell.support"
    label = "support"
    verbose_name = "Support after incidents"

    def ready(self) -> None:
        from django.urls import reverse

        from staffwell.partnership import services as partnership
        from staffwell.records.registry import Kind, OwnerData, register_kind, register_owner_data
        from staffwell.support import content, services
        from staffwell.support.models import SupportRequest

        register_kind(
            Kind(
                key=services.KIND_KEY,
                model=SupportRequest,
                noun="request for support",
                sections=lambda obj: list(content.REQUEST_SECTIONS),
                describe=lambda obj: "Request for support",
                detail_url=lambda obj: reverse("support:detail", kwargs={"request_id": obj.pk}),
                shared_url=lambda obj: reverse("support:shared", kwargs={"request_id": obj.pk}),
            )
        )
        register_owner_data(
            OwnerData(
                key="support",
                title="My requests for support",
                export=services.export_for,
                erase=services.erase_for,
                order=70,
            )
        )
        partnership.register(
            services.AGREEMENT_KIND, label="peer support programme settings and local just culture guide questions"
        )
