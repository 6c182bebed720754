"""Posting named and anonymously, following with the private code, me too and comments."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staffwell.core.models import AuditEvent
from staffwell.voice import sealed, services
from staffwell.voice.models import Comment, Inbox, Post, Support
from tests.voice.helpers import anonymous_post, named_post


def _url(name, world, **kw):
    return reverse(f"voice:{name}", kwargs={"org": world.org.slug, **kw})


def _form(client, world):
    page = client.get(_url("new", world)).content.decode()
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def _writes(queries):
    return [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]


def test_a_named_post_shows_on_the_board_with_the_name_and_is_audited(world, client_for):
    client = client_for("staff")
    token = _form(client, world)
    data = {
        "kind": "idea",
        "title": "Lockers for night staff",
        "body": "Nights have nowhere to leave bags.",
        "audience": str(world.team.pk),
        "anonymous": "named",
        "token": token,
    }
    response = client.post(_url("new", world), data)
    post = Post.objects.get(title="Lockers for night staff")
    assert response.status_code == 302 and post.author == world.memberships["staff"] and post.unit == world.team
    page = client_for("rep").get(_url("post", world, post_id=post.pk)).content.decode()
    assert "Staff Person" in page and "Lockers for night staff" in page
    assert AuditEvent.objects.filter(action="voice.post.created", actor=world.users["staff"]).exists()


def test_bad_input_gets_specific_errors_and_keeps_what_was_typed(world, client_for):
    client = client_for("staff")
    data = {
        "kind": "idea",
        "title": "",
        "body": "Keep this text",
        "audience": "999999",
        "anonymous": "",
        "token": _form(client, world),
    }
    page = client.post(_url("new", world), data).content.decode()
    for message in (
        "Enter a short title",
        "Choose who it is for from the list",
        "Choose whether to post with your name or anonymously",
    ):
        assert message in page
    assert "Keep this text" in page


def test_an_anonymous_post_writes_only_the_sealed_inbox_and_shows_the_code_once(world, client_for):
    client = client_for("staff")
    token = _form(client, world)
    data = {
        "kind": "idea",
        "title": "Water fountain",
        "body": "Nowhere to fill bottles on nights.",
        "audience": "",
        "anonymous": "anonymous",
        "token": token,
    }
    before = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(_url("new", world), data)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    code = re.search(r'id="private-code">([A-Z0-9-]+)<', response.content.decode()).group(1)
    writes = _writes(queries)
    assert writes and all("voice_inbox" in sql for sql in writes), writes
    assert AuditEvent.objects.count() == before and not Post.objects.exists()
    # The ciphertext holds neither the text nor the code.
    blob = bytes(Inbox.objects.get(organisation=world.org).ciphertext)
    assert b"Water fountain" not in blob and code.encode() not in blob
    # A resubmitted form stores it once, and the code is never shown a second time.
    again = client.post(_url("new", world), data).content.decode()
    assert code not in again and "already sent" in again
    services.release()
    post = Post.objects.get()
    assert post.anonymous and post.author is None and post.author_name == "" and post.raised_on
    assert post.follow_hash == sealed.follow_hashes(code)[0] and code not in post.follow_hash


def test_the_author_follows_and_replies_with_the_code_sent_only_in_a_post_body(world, client_for):
    post, code = anonymous_post(world.org)
    client = client_for("manager")  # any device, any account: the code is the key
    assert code not in client.get(_url("follow", world) + f"?code={code}").content.decode()
    page = client.post(_url("follow", world), {"code": code.lower().replace("-", " ")})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert post.title in page.content.decode()
    wrong = client.post(_url("follow", world), {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert wrong.status_code == 400 and "No post has that code" in wrong.content.decode()
    with CaptureQueriesContext(connection) as queries:
        replied = client.post(_url("follow_reply", world), {"code": code, "body": "Nights would use it most."})
    assert "Your reply is received" in replied.content.decode()
    assert all("voice_inbox" in sql for sql in _writes(queries))
    services.release()
    reply = Comment.objects.get(post=post)
    assert reply.from_author and reply.author is None and reply.author_name == ""
    assert "The author of this post" in client_for("staff").get(_url("post", world, post_id=post.pk)).content.decode()


def test_me_too_counts_each_person_once_without_storing_who(world, client_for):
    post = named_post(world, "lead")
    for persona in ("staff", "staff", "manager", "rep"):
        client = client_for(persona)
        with CaptureQueriesContext(connection) as queries:
            client.post(_url("support", world, post_id=post.pk))
        assert all("voice_inbox" in sql for sql in _writes(queries))
    services.release()
    assert Support.objects.filter(post=post).count() == 3
    page = client_for("editor").get(_url("post", world, post_id=post.pk)).content.decode()
    assert "Fewer than 10 people support this" in page and "3 people" not in page
    stored = " ".join(Support.objects.values_list("supporter_hash", flat=True))
    for persona in ("staff", "manager", "rep"):
        assert str(world.users[persona].pk) not in stored.split()
    assert "You support this" in client_for("staff").get(_url("post", world, post_id=post.pk)).content.decode()
    assert "Me too" in client_for("editor").get(_url("post", world, post_id=post.pk)).content.decode()


def test_a_me_too_does_not_show_in_the_count_until_the_release(world, client_for):
    # Found by an attacker: the count moved within a second of each click, so a viewer who
    # watched it (or the request log beside it) knew who had just supported the post.
    post = named_post(world, "lead")
    watcher = client_for("editor")
    before = watcher.get(_url("post", world, post_id=post.pk)).content.decode()
    client_for("staff").post(_url("support", world, post_id=post.pk))
    assert services.support_counts(world.org, [post])[str(post.pk)] == 0
    assert watcher.get(_url("post", world, post_id=post.pk)).content.decode().count("support this") == before.count(
        "support this"
    )
    services.release()
    assert services.support_counts(world.org, [post])[str(post.pk)] == 1


def test_comments_show_the_name_and_an_empty_comment_is_refused(world, client_for):
    post = named_post(world)
    client = client_for("manager")
    assert client.post(_url("comment", world, post_id=post.pk), {"body": ""}).status_code == 400
    client.post(_url("comment", world, post_id=post.pk), {"body": "Same on Ward 8."})
    assert Comment.objects.get(post=post).author_name == "Manager Person"


def test_merging_a_duplicate_carries_each_supporter_across_once(world, client_for):
    first, dup = named_post(world, title="Bike racks"), named_post(world, "manager", title="More cycle racks")
    for persona in ("staff", "rep"):
        services.support(user=world.users[persona], post=first)
    for persona in ("staff", "editor"):
        services.support(user=world.users[persona], post=dup)
    client_for("lead").post(_url("merge", world, post_id=dup.pk), {"into": str(first.pk)})
    dup.refresh_from_db()
    assert dup.status == Post.Status.MERGED and dup.duplicate_of == first
    assert first.supports.count() == 3 and not dup.supports.exists()
    assert client_for("staff").get(_url("post", world, post_id=dup.pk)).status_code == 302


def test_a_post_naming_someone_is_held_and_the_author_told_why(world, client_for):
    client = client_for("staff")
    data = {
        "kind": "challenge",
        "title": "Rotas",
        "body": "Manager Person is useless at rotas.",
        "audience": "",
        "anonymous": "anonymous",
        "token": _form(client, world),
    }
    page = client.post(_url("new", world), data).content.decode()
    assert "Held for review" in page and "name or point at a particular person" in page and "abusive" in page
    assert "Freedom to Speak Up" in page
    services.release()
    post = Post.objects.get()
    assert post.status == Post.Status.HELD
    assert client_for("manager").get(_url("post", world, post_id=post.pk)).status_code == 404
    assert post.title not in client_for("manager").get(_url("index", world)).content.decode()
    assert client_for("rep").get(_url("triage_post", world, post_id=post.pk)).status_code == 200


def test_a_safety_concern_is_pointed_to_the_guardians(world, client_for):
    conf = services.settings_for(world.org)
    conf.guardian_contacts = "Gita Guardian, extension 4455"
    conf.save()
    done = services.post_named(
        membership=world.memberships["staff"],
        unit=None,
        kind="challenge",
        title="Unsafe staffing",
        body="Patient safety is at risk on nights.",
        hold=False,
    )
    assert "route" in done.reasons
    page = client_for("staff").get(_url("post", world, post_id=done.post.pk)).content.decode()
    assert "Gita Guardian, extension 4455" in page


def test_another_organisations_member_gets_404_on_every_post_page(world, client_for):
    post = named_post(world)
    outsider = client_for("outsider")
    for name in ("post", "triage_post", "action"):
        assert outsider.get(_url(name, world, post_id=post.pk)).status_code == 404
    for name in ("support", "comment", "answer", "moderate", "merge"):
        assert outsider.post(_url(name, world, post_id=post.pk)).status_code == 404
    # and a member asking for another organisation's post by id
    theirs = Post.objects.create(organisation=world.other_org, title="Theirs", body="x", raised_on=post.raised_on)
    assert client_for("staff").get(_url("post", world, post_id=theirs.pk)).status_code == 404
    assert client_for("lead").get(_url("triage_post", world, post_id=theirs.pk)).status_code == 404


def test_a_post_form_sent_again_never_shows_the_private_code_again(world, client_for):
    # Found by an attacker: the code was derived from the form's token, which sits in the
    # page, so anyone who replayed that token from another account was shown the same code
    # and could follow and answer as the anonymous author.
    token = _form(client_for("staff"), world)
    fields = {
        "audience": "",
        "kind": "idea",
        "title": "Bike racks",
        "body": "More racks by A&E.",
        "anonymous": "anonymous",
    }
    first = client_for("staff").post(_url("new", world), {**fields, "token": token}).content.decode()
    code = re.search(r'id="private-code">([^<]+)<', first).group(1).strip()
    replay = client_for("manager").post(_url("new", world), {**fields, "title": "Other", "token": token})
    assert code not in replay.content.decode()
    assert len(sealed.unseal(sealed.locked(world.org.pk))["posts"]) == 1
    other_token = _form(client_for("staff"), world)
    again = client_for("staff").post(_url("new", world), {**fields, "token": other_token}).content.decode()
    assert re.search(r'id="private-code">([^<]+)<', again).group(1).strip() != code
