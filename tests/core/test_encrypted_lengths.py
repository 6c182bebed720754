"""The length of an encrypted value must not give its content away (found by an attack,
session 5). A value was ``sw2.`` and the base64 of nonce, plaintext and tag, with no
padding: the plaintext's length was the decoded length minus 28, so a copy of the
database told "all better" (216 bytes) from "all worse" (212), and whether "I need help
now" was ticked. Every encrypted value is now padded to a whole number of blocks."""

import base64

from django.db import connection
from django.urls import reverse

from staffwell.core import crypto
from staffwell.wellbeing.models import CheckIn

FACTORS = ("sleep", "workload", "support", "outside_work")


def _raw_lengths(owner) -> list[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT length(answers), length(note) FROM wellbeing_checkin WHERE owner_id = %s", [owner.pk])
        return cursor.fetchall()


def test_check_ins_that_differ_only_in_their_answers_have_the_same_stored_length(world, client_for):
    client = client_for("staff")
    posts = [
        {"mood": "4", **{f"factor_{f}": "better" for f in FACTORS}},
        {"mood": "2", **{f"factor_{f}": "worse" for f in FACTORS}, "help_now": "on"},
        {"mood": "3", **{f"factor_{f}": "usual" for f in FACTORS}},
        {"mood": "5"},
        {"mood": "1", "help_now": "on", "note": "x"},
        {"mood": "1", "note": "A much longer note about a very hard night on the ward."},
    ]
    for data in posts:
        assert client.post(reverse("wellbeing:checkin_new"), data).status_code in (200, 302)
    owner = world.users["staff"]
    assert CheckIn.objects.filter(owner=owner).count() == len(posts)
    lengths = _raw_lengths(owner)
    assert len({answers for answers, _ in lengths}) == 1, f"answers stored in lengths {sorted(set(lengths))}"
    assert len({note for _, note in lengths}) == 1, f"notes stored in lengths {sorted(set(lengths))}"


def test_a_value_longer_than_a_block_moves_to_the_next_block_and_reads_back_exactly():
    for text in ("", "a", "é" * 100, "x" * (crypto.PAD_BLOCK - 1), "x" * crypto.PAD_BLOCK, "🙂" * 300):
        token = crypto.encrypt(text)
        assert crypto.decrypt(token) == text
        assert (len(crypto._token_bytes(token)) - crypto.NONCE - crypto.TAG) % crypto.PAD_BLOCK == 0


def test_values_written_before_padding_still_read_and_rotation_pads_them():
    old = crypto.UNPADDED + base64.urlsafe_b64encode(crypto.seal(b"before padding", purpose=crypto.RECORD)).decode()
    assert crypto.decrypt(old) == "before padding"
    assert not crypto.is_current(old)
    new = crypto.reencrypt(old)
    assert new is not None and crypto.decrypt(new) == "before padding" and crypto.is_current(new)


def test_a_plans_choices_do_not_change_the_stored_length_of_its_answers(world, client_for):
    """A second attack: with the same text, "I need help now" and all seven topics made the plan's
    encrypted answers a block longer than "mostly OK" and no topics."""
    from staffwell.wellbeing import content

    client = client_for("staff")
    owner = world.users["staff"]
    lengths = set()
    for right_now, topics in (
        ("ok", []),
        ("need_help_now", [key for key, _ in content.PLAN_TOPICS]),
        ("hard", ["menopause"]),
    ):
        data = {"keeps_well": "x" * 30, "right_now": right_now, "topics": topics}
        assert client.post(reverse("wellbeing:plan_edit"), data).status_code == 302
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT length(v.answers) FROM wellbeing_planversion v JOIN wellbeing_plan p ON p.id = v.plan_id "
                "WHERE p.owner_id = %s ORDER BY v.id DESC",
                [owner.pk],
            )
            lengths.add(cursor.fetchone()[0])
    assert len(lengths) == 1, f"plan answers stored in lengths {sorted(lengths)}"
