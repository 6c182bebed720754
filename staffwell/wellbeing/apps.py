from django.apps import AppConfig


def _describe_conversation(obj) -> str:
    """Which conversation: two with the same person must not read the same in "What I share"."""
    import datetime as dt

    from django.utils.formats import date_format
    from django.utils.timezone import localtime

    when = obj.when
    if isinstance(when, str):  # set from a form or fixture and not yet read back
        try:
            when = dt.datetime.fromisoformat(when) if "T" in when else dt.date.fromisoformat(when)
        except ValueError:
            when = None
    if when is None:
        return f"Wellbeing conversation with {obj.other_party_name}"
    if hasattr(when, "hour"):
        return f"Wellbeing conversation with {obj.other_party_name}, booked for {date_format(localtime(when), 'j F Y')}"
    return f"Wellbeing conversation with {obj.other_party_name} on {date_format(when, 'j F Y')}"


class WellbeingConfig(AppConfig):
    name = "staffwell.wellbeing"
    label = "wellbeing"
    verbose_name = "My wellbeing"

    def ready(self) -> None:
        from django.urls import reverse
        from django.utils.formats import date_format
        from django.utils.timezone import localtime

        from staffwell.records.registry import Kind, OwnerData, register_kind, register_owner_data
        from staffwell.wellbeing import content, services
        from staffwell.wellbeing.models import CheckIn, Conversation, Plan

        register_kind(
            Kind(
                key="plan",
                model=Plan,
                noun="wellbeing plan",
                sections=lambda obj: content.PLAN_SECTIONS,
                describe=lambda obj: "Wellbeing plan",
                detail_url=lambda obj: reverse("wellbeing:plan"),
                shared_url=lambda obj: reverse("wellbeing:shared_plan", kwargs={"plan_id": obj.pk}),
            )
        )
        register_kind(
            Kind(
                key="checkin",
                model=CheckIn,
                noun="check-in",
                describe=lambda obj: f"Check-in on {date_format(localtime(obj.created_at), 'j F Y')}",
                detail_url=lambda obj: reverse("wellbeing:checkin", kwargs={"checkin_id": obj.pk}),
                shared_url=lambda obj: reverse("wellbeing:shared_checkin", kwargs={"checkin_id": obj.pk}),
            )
        )
        register_kind(
            Kind(
                key="conversation",
                model=Conversation,
                noun="wellbeing conversation",
                sections=lambda obj: content.CONVERSATION_SECTIONS,
                describe=_describe_conversation,
                detail_url=lambda obj: reverse("wellbeing:conversation", kwargs={"conversation_id": obj.pk}),
                shared_url=lambda obj: reverse("wellbeing:shared_conversation", kwargs={"conversation_id": obj.pk}),
            )
        )
        register_owner_data(
            OwnerData(
                key="wellbeing", title="My wellbeing", export=services.export_for, erase=services.erase_for, order=10
            )
        )
