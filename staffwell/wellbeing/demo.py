"""Demo wellbeing content: the demo nurse's check-ins, a plan and a conversation with their
manager, and the demo trust's own support contacts."""

import datetime as dt

from django.utils import timezone

from staffwell.wellbeing import services
from staffwell.wellbeing.models import CheckIn, Conversation, SupportContacts


def load(*, org, other_org) -> None:
    from staffwell.accounts.models import User

    SupportContacts.objects.update_or_create(
        organisation=org,
        defaults={
            "oh_name": "Northgate Occupational Health",
            "oh_phone": "0161 496 0000",
            "oh_email": "occupational.health@northgate.example",
            "oh_hours": "Monday to Friday, 8am to 5pm",
            "eap_name": "Northgate Employee Assistance (demo)",
            "eap_phone": "0800 000 0000",
            "eap_url": "https://example.org/northgate-eap",
            "eap_hours": "24 hours, every day",
            "other": "Staff psychology service: ask occupational health for a referral.",
        },
    )
    nurse = User.objects.filter(email="nurse@northgate.example").first()
    if nurse is None or CheckIn.objects.filter(owner=nurse).exists():
        return
    now = timezone.now()
    moods = [4, 3, 3, 2, 3, 4, 4, 3, 2, 3, 4, 5]
    for i, mood in enumerate(moods):
        CheckIn.objects.create(
            owner=nurse,
            created_at=now - dt.timedelta(days=2 * (len(moods) - i)),
            answers={
                "mood": mood,
                "factors": {"sleep": "worse" if mood <= 2 else "usual", "workload": "worse" if mood <= 3 else "usual"},
                "help_now": False,
            },
            note="Run of nights this week." if mood <= 2 else "",
        )
    services.save_plan(
        owner=nurse,
        answers={
            "keeps_well": "Swimming twice a week. Proper breaks on long days.",
            "gets_in_way": "Runs of night shifts back to back.",
            "early_signs": "I stop eating properly and get short with people.",
            "what_helps": "A walk after a shift, talking to my sister.",
            "from_manager": "No more than three nights in a row where possible.",
            "i_will": "Book annual leave ahead, keep swimming.",
            "topics": ["sleep", "stress"],
            "right_now": "ok",
        },
        review_on=timezone.localdate() + dt.timedelta(days=90),
    )
    manager = User.objects.filter(email="manager@northgate.example").first()
    if manager:
        services.save_conversation(
            owner=nurse,
            conversation=None,
            with_kind=Conversation.With.LINE_MANAGER,
            with_user=manager,
            with_name="",
            status=Conversation.Status.HELD,
            booked_for=None,
            held_on=timezone.localdate() - dt.timedelta(days=20),
            details={"place": "Ward 7 office", "summary": "Rota and sleep after nights.", "notes": "Felt listened to."},
            actions=[
                {"side": "mine", "text": "Try the sleep resource from the library"},
                {"side": "theirs", "text": "Look at spacing my night shifts on the next rota"},
            ],
            share_their_actions=True,
        )
