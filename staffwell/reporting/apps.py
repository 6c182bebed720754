from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "staffwell.reporting"
    label = "reporting"

    def ready(self) -> None:
        from staffwell.reporting import services
        from staffwell.surveys.signals import campaign_closed

        services.register()

        def _prepare(sender, campaign_id: int, **kwargs) -> None:
            from staffwell.reporting.tasks import prepare_closed_campaign

            prepare_closed_campaign.enqueue(campaign_id)

        campaign_closed.connect(_prepare, dispatch_uid="reporting.prepare_closed_campaign", weak=False)
