"""Drives a real staffwell against its own SQLite file, for the WAL attacker test.

Run as ``python -m tests.voice.attack_driver setup|act AUTHOR_INDEX`` with SQLITE_PATH set.
``setup`` makes an organisation of twelve people and one named post; ``act`` signs each
person in, in turn, and has them use the staff voice pages in the same way: one of them
(AUTHOR_INDEX) posts anonymously, everyone else says "me too" to the named post. Then the
hourly release runs through the database task queue, as cron would start it.
"""

import json
import os
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffwell.settings")
    os.environ.setdefault("STAFFWELL_ENV", "development")
    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from staffwell.accounts.models import User
    from staffwell.organisations.models import Membership, Organisation, Unit
    from staffwell.voice import services
    from staffwell.voice.models import Post

    step = sys.argv[1]
    if step == "setup":
        org = Organisation.objects.create(name="Attack Test Trust", slug="attack-test", ods_code="RZZ")
        unit = Unit.objects.create(organisation=org, name="Portering")
        people = []
        for i in range(12):
            user = User.objects.create_user(f"person{i}@attack.example", "pw-attack-test-1", full_name=f"Person {i}")
            people.append(
                Membership.objects.create(
                    organisation=org, user=user, person_id=f"P{i}", full_name=f"Person {i}", email=user.email, unit=unit
                )
            )
        services.post_named(
            membership=people[0],
            unit=None,
            kind="idea",
            title="Covered bike shed",
            body="Bikes get soaked.",
            hold=False,
        )
        services.release()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    author = int(sys.argv[2])
    org = Organisation.objects.get(slug="attack-test")
    named = Post.objects.get(title="Covered bike shed")
    out = []
    for i, membership in enumerate(Membership.objects.filter(organisation=org).order_by("person_id")):
        client = Client()
        client.force_login(membership.user)
        base = {"org": org.slug}
        client.get(reverse("voice:index", kwargs=base))
        page = client.get(reverse("voice:new", kwargs=base)).content.decode()
        if i == author:
            token = page.split('name="token" value="', 1)[1].split('"', 1)[0]
            client.post(
                reverse("voice:new", kwargs=base),
                {
                    "kind": "idea",
                    "title": "Hot food for the night porters",
                    "body": "The canteen shuts at 8pm.",
                    "audience": "",
                    "anonymous": "anonymous",
                    "token": token,
                },
            )
        else:
            client.post(reverse("voice:support", kwargs={**base, "post_id": named.pk}))
        out.append(
            {"user_id": membership.user_id, "email": membership.user.email, "session_key": client.session.session_key}
        )
    call_command("release_voice", verbosity=0)
    call_command("db_worker", batch=True, queue_name="*", no_startup_delay=True, verbosity=0)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
