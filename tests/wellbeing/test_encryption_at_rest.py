"""Given a person's check-in, plan and conversation, when someone reads the database
directly, then none of what they wrote or chose is readable."""

from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from staffwell.wellbeing import services
from staffwell.wellbeing.models import CheckIn, Conversation, ConversationAction, Plan, PlanVersion

SECRETS = [
    "Swimming on Tuesdays",
    "Back-to-back night shifts",
    "I stop eating breakfast",
    "Private thought about my rota",
    "Space out my night shifts",
    "Rota worries",
    "panic on the ward",
    "sleep",
    "worse",
]


def _raw_rows():
    """Every column of every wellbeing row, as the database holds it."""
    out = []
    with connection.cursor() as cursor:
        for model in (CheckIn, Plan, PlanVersion, Conversation, ConversationAction):
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608
            for row in cursor.fetchall():
                out.append(" ".join(str(v) for v in row))
    return "\n".join(out)


def test_the_raw_database_holds_no_readable_plan_note_check_in_or_conversation(world, staff_plan, staff_conversation):
    services.record_checkin(
        owner=world.users["staff"], mood=2, factors={"sleep": "worse"}, help_now=False, note="panic on the ward"
    )
    raw = _raw_rows()
    assert raw  # the rows are there
    for secret in SECRETS:
        assert secret not in raw, f"{secret!r} is readable in the database"
    # ... and the application still reads them back
    assert CheckIn.objects.get().note == "panic on the ward"
    assert Plan.objects.get().answer("keeps_well") == "Swimming on Tuesdays"


def test_rotating_keys_re_encrypts_every_row_so_the_old_key_can_be_dropped(
    world, staff_plan, staff_conversation, settings
):
    services.record_checkin(owner=world.users["staff"], mood=3, factors={}, help_now=False, note="before rotation")
    old_keys = list(settings.STAFFWELL_ENCRYPTION_KEYS)
    new_key = Fernet.generate_key().decode()
    settings.STAFFWELL_ENCRYPTION_KEYS = [new_key, *old_keys]
    call_command("rotate_encryption_keys", stdout=__import__("io").StringIO())
    settings.STAFFWELL_ENCRYPTION_KEYS = [new_key]  # the old key is gone
    assert CheckIn.objects.get().note == "before rotation"
    assert Plan.objects.get().answer("early_signs") == "I stop eating breakfast"
    assert Conversation.objects.get().detail("notes") == "Private thought about my rota"
    assert {a.text for a in ConversationAction.objects.all()} == {"Try the sleep guide", "Space out my night shifts"}
    assert PlanVersion.objects.get().answers["what_helps"] == "Talking to my sister"


def test_rotation_reports_nothing_left_when_run_again(world, staff_plan, settings):
    import io

    settings.STAFFWELL_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.STAFFWELL_ENCRYPTION_KEYS]
    call_command("rotate_encryption_keys", stdout=io.StringIO())
    out = io.StringIO()
    call_command("rotate_encryption_keys", "--dry-run", stdout=out)
    assert "0 row(s) would be re-encrypted" in out.getvalue()


def test_rotation_stops_with_a_clear_message_if_a_key_is_missing(world, staff_plan, settings):
    import io

    import pytest
    from django.core.management.base import CommandError

    settings.STAFFWELL_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="cannot be decrypted with any configured key"):
        call_command("rotate_encryption_keys", stdout=io.StringIO())
