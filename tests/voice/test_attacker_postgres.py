"""The attacker on PostgreSQL, with system columns: ``xmin`` (which transaction wrote each
row) and ``ctid`` (where it sits). Every request commits on its own (transactional_db), as
in production; people sign in one after another and use the staff voice pages the same
way; one posts anonymously, the others say "me too"."""

import itertools
import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from staffwell.voice import services
from staffwell.voice.models import Post
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL system columns")


def _xmins(table: str, where: str = "", params=()) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmin::text::bigint FROM {table} {where}", params)  # noqa: S608 (our table names)
        return [r[0] for r in cursor.fetchall()]


def _tables() -> list[str]:
    return [t for t in connection.introspection.table_names() if not t.startswith("pg_")]


@pytest.fixture
def scene(transactional_db, world):
    named = services.post_named(
        membership=world.memberships["lead"],
        unit=None,
        kind="idea",
        title="Covered bike shed",
        body="Soaked.",
        hold=False,
    ).post
    people = [MembershipFactory(organisation=world.org, unit=world.team, user=UserFactory()) for _ in range(10)]
    author = people[4]
    sessions = []
    for m in people:
        client = Client()
        client.force_login(m.user)
        base = {"org": world.org.slug}
        client.get(reverse("voice:index", kwargs=base))
        page = client.get(reverse("voice:new", kwargs=base)).content.decode()
        if m == author:
            token = re.search(r'name="token" value="([^"]+)"', page).group(1)
            client.post(
                reverse("voice:new", kwargs=base),
                {
                    "kind": "idea",
                    "title": "Hot food at night",
                    "body": "Canteen shuts at 8pm.",
                    "audience": "",
                    "anonymous": "anonymous",
                    "token": token,
                },
            )
        else:
            client.post(reverse("voice:support", kwargs={**base, "post_id": named.pk}))
        sessions.append(client.session.session_key)
    services.release()
    return {"people": people, "author": author, "sessions": sessions, "named": named}


def test_system_columns_tie_the_anonymous_post_and_the_supports_only_to_the_batch_release(scene):
    post = Post.objects.get(title="Hot food at night")
    assert post.author is None and post.anonymous
    post_x = _xmins("voice_post", "WHERE id = %s", [post.pk])[0]
    support_x = set(_xmins("voice_support", "WHERE post_id = %s", [scene["named"].pk]))
    assert support_x == {post_x}, "the post and every 'me too' were written by one release transaction"
    session_x = [_xmins("django_session", "WHERE session_key = %s", [k])[0] for k in scene["sessions"]]
    assert post_x > max(session_x)


def test_every_person_signed_in_left_the_same_rows_so_the_author_is_no_better_than_chance(scene):
    post_x = _xmins("voice_post", "WHERE title = %s", ["Hot food at night"])[0]
    # Each person's window starts with their sign-in (their account row's last update).
    signed_in = [_xmins("accounts_user", "WHERE id = %s", [m.user_id])[0] for m in scene["people"]]
    bounds = [*signed_in, post_x]
    every = {t: _xmins(t) for t in _tables()}
    traces = []
    for start, end in itertools.pairwise(bounds):
        traces.append(sorted(t for t, xs in every.items() if any(start <= x < end for x in xs) and t != "voice_inbox"))
    # Each window holds the person's own sign-in rows and nothing else: no post, no support,
    # no audit event; the sealed inbox keeps only its latest version, in one window at most.
    assert len({tuple(t) for t in traces}) == 1, traces
    assert "voice_post" not in traces[0] and "voice_support" not in traces[0] and "core_auditevent" not in traces[0]


def test_physical_order_of_released_supports_is_not_the_sign_in_order(scene):
    with connection.cursor() as cursor:
        cursor.execute("SELECT ctid::text, supporter_hash FROM voice_support ORDER BY ctid")
        rows = cursor.fetchall()
    assert len(rows) == len(scene["people"]) - 1
    # The hashes are keyed: nothing here can be recomputed from a person's id without the key.
    import hashlib

    for m in scene["people"]:
        plain = hashlib.sha256(f"{scene['named'].pk}:{m.user_id}".encode()).hexdigest()
        assert plain not in {h for _, h in rows}
