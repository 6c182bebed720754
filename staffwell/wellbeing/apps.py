from django.apps import AppConfig


def _conversation_when(obj) -> str:
    """ " on 20 November 2026", ", booked for 20 November 2026" or "": plain columns only."""
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
        return ""
    if hasattr(when, "hour"):
        return f", booked for {date_format(localtime(when), 'j F Y')}"
    return f" on {date_format(when, 'j F Y')}"


def _describe_conversation(obj) -> str:
    """Which conversation, by its date: stored in grant labels and the audit log, so never the
    other person's name (encrypted when they are not on staffwell; found by an attack)."""
    return f"Wellbeing conversation{_conversation_when(obj)}"


def _conversation_for_owner(obj) -> str:
    """The owner's own pages: two with the same day must not read the same in "What I share"."""
    return f"Wellbeing conversation with {obj.other_party_name}{_conversation_when(obj)}"


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
                owner_title=_conversation_for_owner,
                detail_url=lambda obj: reverse("wellbeing:conversation", kwargs={"conversation_id": obj.pk}),
                shared_url=lambda obj: reverse("wellbeing:shared_conversation", kwargs={"conversation_id": obj.pk}),
            )
        )
        register_owner_data(
            OwnerData(
                key="wellbeing", title="My wellbeing", export=services.export_for, erase=services.erase_for, order=10
            )
        )
